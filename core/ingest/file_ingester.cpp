#include "ingest/file_ingester.h"

#include "ingest/byte_source.h"
#include "ingest/file_identity.h"
#include "ingest/line_splitter.h"
#include "record/record_parser.h"
#include "store/batch_writer.h"
#include "store/write_queue.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace vigil {

namespace {

using Clock = std::chrono::steady_clock;

// Results of this run's batches, filled in by the writer thread.
struct Tally
{
    std::mutex mutex;
    std::condition_variable done;
    IngestSummary summary;
    int outstanding = 0;
};

bool isBlank(std::string_view text)
{
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v')
            return false;
    }
    return true;
}

// One opened generation of the followed path.
struct OpenFile
{
    std::string path;
    int fd = -1;
    bool gzip = false;
    FileIdentity identity;
    std::unique_ptr<ByteSource> source;
    std::unique_ptr<LineSplitter> splitter;

    OpenFile() = default;
    OpenFile(const OpenFile &) = delete;
    OpenFile &operator=(const OpenFile &) = delete;
    ~OpenFile() { close(); }
    void close()
    {
        splitter.reset();
        source.reset();
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

std::string errnoText()
{
    return std::strerror(errno);
}

} // namespace

FileIngester::FileIngester(WriteQueue &queue, FileIngestOptions options)
    : m_queue(queue), m_options(options)
{
}

IngestSummary FileIngester::run(const std::string &path, const std::atomic<bool> &cancel,
                                const ProgressCallback &progress)
{
    const auto started = Clock::now();
    auto tally = std::make_shared<Tally>();
    auto abort = std::make_shared<std::atomic<bool>>(false);
    RecordParser parser(m_options.prices);
    IngestSummary local; // what only this thread knows: lines, bytes, file errors

    OpenFile file;
    std::int64_t startOffset = 0;

    // Opens `path`, resuming after its committed position when it is the same file.
    auto open = [&](std::string &error) -> bool {
        file.close();
        file.path = path;
        file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (file.fd < 0) {
            error = errnoText();
            return false;
        }
        auto identity = identifyFile(file.fd);
        if (!identity) {
            error = errnoText();
            return false;
        }
        file.identity = *identity;
        char magic[2] = {};
        file.gzip = ::pread(file.fd, magic, 2, 0) == 2 && looksGzipped(magic, 2);
        std::int64_t offset = 0, line = 0;
        if (auto prior = readSourcePosition(m_queue.storePath(), identity->device, identity->inode)) {
            const auto check = identifyFile(file.fd, prior->headLength);
            if (check && check->headHash == prior->headHash &&
                (file.gzip || prior->offset <= identity->size)) {
                offset = prior->offset;
                line = prior->line;
            }
        }
        if (file.gzip) {
            file.source = makeGzipSource(file.fd);
            std::vector<char> skip(1 << 16);
            std::int64_t skipped = 0;
            while (skipped < offset) {
                const long long n = file.source->read(
                    skip.data(), static_cast<std::size_t>(std::min<std::int64_t>(
                                     offset - skipped, static_cast<std::int64_t>(skip.size()))));
                if (n < 0) {
                    error = file.source->error();
                    return false;
                }
                if (n == 0)
                    break;
                skipped += n;
            }
            offset = skipped;
        } else {
            if (::lseek(file.fd, offset, SEEK_SET) < 0) {
                error = errnoText();
                return false;
            }
            file.source = makePlainSource(file.fd);
        }
        file.splitter = std::make_unique<LineSplitter>(*file.source, offset, line,
                                                       m_options.maxLineBytes);
        startOffset = offset;
        return true;
    };

    std::string openError;
    try {
        if (!open(openError)) {
            local.fileErrors.push_back(path + ": " + openError);
            return local;
        }
    } catch (const StoreError &e) {
        local.storeError = e;
        return local;
    }

    // Records are parsed in place into a vector sized for a whole batch: no
    // temporary Record per line, no reallocation moving thousands of them.
    const std::size_t reserveRecords = std::min<std::size_t>(m_options.batchRecords, 16384);
    WriteBatch batch;
    batch.source = path;
    batch.records.reserve(reserveRecords);
    std::size_t batchBytes = 0;
    std::int64_t parsedRecords = 0;
    std::int64_t committedOffset = file.splitter->consumedOffset();
    auto lastProgress = Clock::now() - std::chrono::seconds(1);

    auto report = [&](bool following, bool force) {
        if (!progress)
            return;
        const auto now = Clock::now();
        if (!force && now - lastProgress < std::chrono::milliseconds(100))
            return;
        lastProgress = now;
        IngestProgress p;
        p.path = path;
        p.bytesDone = file.splitter->consumedOffset();
        p.compressedDone = file.source->rawPosition();
        p.bytesTotal = file.identity.size;
        p.records = parsedRecords;
        p.following = following;
        progress(p);
    };

    // The end of a file's last line when it has no newline yet. Stored, it
    // ends that line, so the newline that may follow is not a new (blank)
    // line: the position counts one line less. Not parseable, it may still be
    // being written: it is left for the next run.
    bool tailStored = false;
    std::optional<std::pair<std::int64_t, std::int64_t>> tailHeldBack; // offset, line
    auto positionOffset = [&] {
        return tailHeldBack ? tailHeldBack->first : file.splitter->consumedOffset();
    };

    auto flush = [&] {
        const std::int64_t offset = positionOffset();
        if (batch.records.empty() && batch.quarantined.empty() && offset == committedOffset)
            return;
        if (file.identity.headLength < kHeadHashBytes && !file.gzip) {
            // The file grew since we hashed its head: identify it by more bytes.
            if (auto grown = identifyFile(file.fd))
                file.identity = *grown;
        }
        SourcePosition position;
        position.path = file.path;
        position.device = file.identity.device;
        position.inode = file.identity.inode;
        position.headLength = file.identity.headLength;
        position.headHash = file.identity.headHash;
        position.offset = offset;
        position.line = tailHeldBack ? tailHeldBack->second
                                     : file.splitter->linesConsumed() - (tailStored ? 1 : 0);
        batch.position = position;
        committedOffset = offset;

        std::map<std::string, std::int64_t> reasons;
        for (const auto &q : batch.quarantined)
            ++reasons[q.error.reason];
        {
            std::lock_guard lock(tally->mutex);
            ++tally->outstanding;
        }
        m_queue.submit(
            std::move(batch),
            [tally, reasons = std::move(reasons)](const BatchOutcome &outcome) {
                std::lock_guard lock(tally->mutex);
                if (outcome.ok()) {
                    tally->summary.records += outcome.result->accepted;
                    tally->summary.duplicates += outcome.result->duplicates;
                    tally->summary.quarantined += outcome.result->quarantined;
                    for (const auto &[reason, count] : reasons)
                        tally->summary.quarantinedByReason[reason] += count;
                } else if (!tally->summary.storeError) {
                    tally->summary.storeError = outcome.error;
                }
                --tally->outstanding;
                tally->done.notify_all();
            },
            abort);
        batch = WriteBatch();
        batch.source = path;
        batch.records.reserve(reserveRecords);
        batchBytes = 0;
    };

    auto handle = [&](const Line &line) {
        ++local.lines;
        if (!line.tooLong && isBlank(line.text))
            return;
        QuarantineEntry entry;
        if (line.tooLong) {
            entry.error = {"line_too_long", "line " + std::to_string(line.number) + " is " +
                                                std::to_string(line.size) + " bytes, over the " +
                                                std::to_string(m_options.maxLineBytes) +
                                                " byte limit"};
        } else {
            if (parser.parseLine(line.text, batch.records.emplace_back(), entry.error)) {
                batchBytes += static_cast<std::size_t>(line.size);
                ++parsedRecords;
                return;
            }
            batch.records.pop_back();
        }
        entry.source = path;
        entry.line = line.number;
        entry.byteOffset = line.offset;
        entry.rawPrefix = std::string(line.text.substr(0, QuarantineEntry::kRawPrefixLimit));
        entry.rawSize = line.size;
        batchBytes += entry.rawPrefix.size();
        batch.quarantined.push_back(std::move(entry));
    };

    // Drains what the current file holds; true when it ended cleanly.
    auto readAvailable = [&]() -> bool {
        Line line;
        while (!cancel.load() && !abort->load()) {
            const auto status = file.splitter->next(line);
            if (status == LineSplitter::Status::Pending)
                return true;
            if (status == LineSplitter::Status::ReadError) {
                local.fileErrors.push_back(path + ": " + file.source->error());
                return false;
            }
            handle(line);
            if (batch.records.size() >= m_options.batchRecords ||
                batchBytes >= m_options.batchBytes)
                flush();
            report(false, false);
        }
        return false;
    };
    // `complete`: nothing will be appended (a rotated-away file).
    auto finishFile = [&](bool complete) {
        const std::int64_t offsetBefore = file.splitter->consumedOffset();
        const std::int64_t linesBefore = file.splitter->linesConsumed();
        Line last;
        if (file.splitter->flushPartial(last)) {
            Record record;
            ParseError error;
            if (!complete && !last.tooLong && !isBlank(last.text) &&
                !parser.parseLine(last.text, record, error)) {
                tailHeldBack = std::make_pair(offsetBefore, linesBefore);
                local.pendingLines.push_back(path + ":" + std::to_string(last.number) +
                                             ": the last line has no newline and is not a "
                                             "complete record yet; it is read on the next run");
            } else {
                handle(last);
                tailStored = true;
            }
        }
        local.bytes += positionOffset() - startOffset;
        flush();
    };

    bool following = m_options.follow && !file.gzip;
    while (true) {
        const bool clean = readAvailable();
        if (!clean || cancel.load() || abort->load()) {
            // Stop where we are: what was parsed is committed, the partial
            // line (if any) waits for the next run.
            local.bytes += file.splitter->consumedOffset() - startOffset;
            flush();
            break;
        }
        if (!following) {
            finishFile(false);
            break;
        }
        flush();
        report(true, true);
        std::this_thread::sleep_for(m_options.followPoll);

        // tail -F: notice rotation (a new file at the path) and truncation.
        const auto atPath = statPath(path);
        const bool rotated = atPath && (atPath->first != file.identity.device ||
                                        atPath->second != file.identity.inode);
        if (rotated) {
            readAvailable();   // what was appended before the rename
            finishFile(true);  // its last line is complete now
            tailStored = false;
            std::string error;
            try {
                if (!open(error)) {
                    local.fileErrors.push_back(path + ": " + error);
                    break;
                }
            } catch (const StoreError &e) {
                local.storeError = e;
                break;
            }
            committedOffset = -1; // a new file: commit its position even if empty
            continue;
        }
        const auto now = identifyFile(file.fd, file.identity.headLength);
        const bool truncated = now && (now->size < file.splitter->bytesRead() ||
                                       now->headHash != file.identity.headHash);
        if (truncated) {
            // copy-truncate: the same inode starts over from its first byte.
            local.bytes += file.splitter->consumedOffset() - startOffset;
            ::lseek(file.fd, 0, SEEK_SET);
            file.source = makePlainSource(file.fd);
            file.splitter = std::make_unique<LineSplitter>(*file.source, 0, 0, m_options.maxLineBytes);
            if (auto fresh = identifyFile(file.fd))
                file.identity = *fresh;
            startOffset = 0;
            committedOffset = -1;
        }
    }

    std::unique_lock lock(tally->mutex);
    tally->done.wait(lock, [&] { return tally->outstanding == 0; });
    IngestSummary summary = tally->summary;
    lock.unlock();
    summary.lines = local.lines;
    summary.bytes = local.bytes;
    summary.fileErrors = local.fileErrors;
    summary.pendingLines = local.pendingLines;
    if (local.storeError && !summary.storeError)
        summary.storeError = local.storeError;
    summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report(false, true);
    return summary;
}

} // namespace vigil
