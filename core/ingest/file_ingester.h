#pragma once

#include "ingest/ingest_summary.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace vigil {

class PriceTable;
class WriteQueue;

struct IngestProgress
{
    std::string path;
    std::int64_t bytesDone = 0;  // of the file (uncompressed offset for .gz)
    std::int64_t bytesTotal = 0; // file size on disk; 0 when unknown
    std::int64_t compressedDone = 0;
    std::int64_t records = 0;    // parsed so far in this run
    bool following = false;      // caught up, waiting for more
};

using ProgressCallback = std::function<void(const IngestProgress &)>;

struct FileIngestOptions
{
    bool follow = false;
    std::size_t batchRecords = 8192;
    std::size_t batchBytes = 8u << 20;
    std::size_t maxLineBytes = 16u << 20;
    std::chrono::milliseconds followPoll{200};
    const PriceTable *prices = nullptr; // fills in missing costs
};

// Ingests one NDJSON file (plain or gzip) into the store through a WriteQueue.
// Resumes after the last committed position of the same file (device, inode
// and head hash), commits its position with every batch, and in follow mode
// keeps reading like `tail -F`: appends, rename-and-recreate rotation and
// copy-truncate. Several FileIngesters may share one WriteQueue.
class FileIngester final
{
public:
    FileIngester(WriteQueue &queue, FileIngestOptions options);

    // Runs until the end of the file, or in follow mode until `cancel` is set.
    // A file that cannot be read is reported in fileErrors; a store failure in
    // storeError. Progress is reported about ten times a second at most.
    IngestSummary run(const std::string &path, const std::atomic<bool> &cancel,
                      const ProgressCallback &progress = {});

private:
    WriteQueue &m_queue;
    FileIngestOptions m_options;
};

} // namespace vigil
