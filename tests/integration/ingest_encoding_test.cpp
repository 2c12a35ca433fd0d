// Line endings, encodings and every quarantine kind, through real files and
// the real vigilctl: what is stored, what is quarantined with which file,
// line, byte offset and reason, and that nothing around a bad line is lost.
#include "integration_helpers.h"
#include "store_probe.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace vigil::test;

namespace {

constexpr std::size_t kMaxLine = 16u << 20;

// Builds a log line by line, remembering where each line starts and which
// lines must be quarantined for which reason.
class LogBuilder
{
public:
    struct Refused
    {
        std::int64_t line;
        std::int64_t offset;
        std::string reason;
        std::string body;
    };

    void bom() { m_text += "\xEF\xBB\xBF"; }
    void valid(const std::string &id, const std::string &end = "\n")
    {
        add(recordLine(id), end);
        m_ids.push_back(id);
    }
    void validLine(const std::string &id, const std::string &body, const std::string &end = "\n")
    {
        add(body, end);
        m_ids.push_back(id);
    }
    void blank(const std::string &body, const std::string &end = "\n") { add(body, end); }
    void refused(const std::string &reason, const std::string &body, const std::string &end = "\n")
    {
        // A leading BOM is already in m_text: the first line starts after it.
        m_refused.push_back({m_line + 1, static_cast<std::int64_t>(m_text.size()), reason, body});
        add(body, end);
    }

    const std::string &text() const { return m_text; }
    const std::vector<std::string> &ids() const { return m_ids; }
    const std::vector<Refused> &refusedLines() const { return m_refused; }

private:
    void add(const std::string &body, const std::string &end)
    {
        ++m_line;
        m_text += body + end;
    }

    std::string m_text;
    std::int64_t m_line = 0;
    std::vector<std::string> m_ids;
    std::vector<Refused> m_refused;
};

const std::string kTs = "1795745584123";

std::string missingModel()
{
    return "{\"ts\":" + kTs + ",\"request_id\":\"no-model\",\"tenant\":\"acme\",\"latency_ms\":5,\"outcome\":\"ok\"}";
}
std::string wrongType()
{
    return "{\"ts\":" + kTs + ",\"request_id\":\"slow\",\"tenant\":\"acme\",\"model\":\"gpt-4o\","
           "\"latency_ms\":\"slow\",\"outcome\":\"ok\"}";
}
std::string invalidValue()
{
    return "{\"ts\":" + kTs + ",\"request_id\":\"maybe\",\"tenant\":\"acme\",\"model\":\"gpt-4o\","
           "\"latency_ms\":5,\"outcome\":\"maybe\"}";
}
std::string invalidUtf8()
{
    return "{\"ts\":" + kTs + ",\"request_id\":\"utf8\",\"tenant\":\"ac\xC3\x28me\",\"model\":\"gpt-4o\","
           "\"latency_ms\":5,\"outcome\":\"ok\"}";
}
// A line just over the limit that would be a valid record if it were shorter.
std::string overLong()
{
    std::string line = recordLineWithInput("too-long", kMaxLine);
    EXPECT_GT(line.size(), kMaxLine);
    return line;
}

std::set<std::string> storedIds(const std::string &db)
{
    StoreProbe probe(db);
    const auto ids = probe.requestIds();
    return {ids.begin(), ids.end()};
}

// Every refused line of `log` is in the store's quarantine, once, with its
// source, line, byte offset, reason, size and (up to 4 KiB) raw bytes.
void expectQuarantined(const std::string &db, const std::string &source, const LogBuilder &log)
{
    StoreProbe probe(db);
    const auto rows = probe.quarantine();
    ASSERT_EQ(rows.size(), log.refusedLines().size());
    for (const auto &want : log.refusedLines()) {
        const auto it = std::find_if(rows.begin(), rows.end(),
                                     [&](const ProbedQuarantine &r) { return r.line == want.line; });
        ASSERT_NE(it, rows.end()) << "no quarantine entry for line " << want.line;
        EXPECT_EQ(it->source, source);
        EXPECT_EQ(it->reason, want.reason) << "line " << want.line << ": " << it->detail;
        EXPECT_EQ(it->byteOffset, want.offset) << "line " << want.line;
        EXPECT_EQ(it->rawSize, static_cast<std::int64_t>(want.body.size())) << "line " << want.line;
        EXPECT_EQ(it->raw, want.body.substr(0, 4096)) << "line " << want.line;
        EXPECT_FALSE(it->detail.empty());
    }
}

} // namespace

TEST(IngestEncoding, CrlfBomBlankLinesAndLastLineWithoutNewline)
{
    TempDir dir;
    LogBuilder log;
    log.bom();
    log.valid("bom-first", "\r\n");
    log.blank("", "\r\n");
    log.valid("crlf-2", "\r\n");
    log.blank("   \t ");
    log.valid("lf-3");
    log.blank("");
    log.refused("invalid_utf8", invalidUtf8(), "\r\n");
    log.valid("after-bad-utf8", "\r\n");
    log.valid("no-newline", "");
    const std::string file = dir.path("mixed.ndjson");
    writeFile(file, log.text());
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {file});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 5);
    EXPECT_EQ(run.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    EXPECT_EQ(run.summary.value(QStringLiteral("quarantined")).toInteger(), 1);
    EXPECT_EQ(run.summary.value(QStringLiteral("quarantined_by_reason")).toObject().value(QStringLiteral("invalid_utf8")).toInteger(), 1);

    EXPECT_EQ(storedIds(db), std::set<std::string>(log.ids().begin(), log.ids().end()));
    expectQuarantined(db, file, log);

    // The operator sees the file, line and reason through the CLI as well.
    const QJsonObject list = vigilctlJson({QStringLiteral("quarantine"), QStringLiteral("list"), QStringLiteral("--db"), q(db)});
    const QJsonArray entries = list.value(QStringLiteral("entries")).toArray();
    ASSERT_EQ(entries.size(), 1);
    const QJsonObject entry = entries.first().toObject();
    EXPECT_EQ(entry.value(QStringLiteral("source")).toString(), q(file));
    EXPECT_EQ(entry.value(QStringLiteral("line")).toInteger(), 7);
    EXPECT_EQ(entry.value(QStringLiteral("byte_offset")).toInteger(), log.refusedLines().front().offset);
    EXPECT_EQ(entry.value(QStringLiteral("reason")).toString(), QStringLiteral("invalid_utf8"));
    const QJsonObject shown = vigilctlJson({QStringLiteral("quarantine"), QStringLiteral("show"),
                                            QString::number(entry.value(QStringLiteral("id")).toInteger()),
                                            QStringLiteral("--db"), q(db)});
    // The bad byte is shown escaped, the rest as it was.
    EXPECT_TRUE(shown.value(QStringLiteral("raw")).toString().contains(QStringLiteral("\"ac\\xc3(me\"")))
        << shown.value(QStringLiteral("raw")).toString().toStdString();
    EXPECT_FALSE(shown.value(QStringLiteral("raw_truncated")).toBool());
}

TEST(IngestEncoding, EveryQuarantineKindIsListedWithItsReason)
{
    TempDir dir;
    LogBuilder log;
    log.bom();
    log.refused("invalid_json", "{\"ts\":" + kTs + ",\"request_id\":\"cut", "\r\n");
    log.valid("first-good");
    log.refused("not_an_object", "[1,2,3]");
    log.refused("missing_field", missingModel());
    log.refused("wrong_type", wrongType(), "\r\n");
    log.refused("invalid_value", invalidValue());
    log.refused("invalid_utf8", invalidUtf8());
    log.valid("before-long");
    log.refused("line_too_long", overLong());
    log.valid("after-long");
    log.refused("invalid_json", "ERROR 2026 upstream said: connection reset by peer");
    const std::string file = dir.path("kinds.ndjson");
    writeFile(file, log.text());
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {file});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 3);
    EXPECT_EQ(run.summary.value(QStringLiteral("quarantined")).toInteger(), 8);
    EXPECT_EQ(storedIds(db), std::set<std::string>(log.ids().begin(), log.ids().end()));
    expectQuarantined(db, file, log);

    // The BOM is not part of the first line: its offset is 3.
    EXPECT_EQ(log.refusedLines().front().offset, 3);

    const QJsonObject expectedByReason{{QStringLiteral("invalid_json"), 2},  {QStringLiteral("not_an_object"), 1},
                                       {QStringLiteral("missing_field"), 1}, {QStringLiteral("wrong_type"), 1},
                                       {QStringLiteral("invalid_value"), 1}, {QStringLiteral("invalid_utf8"), 1},
                                       {QStringLiteral("line_too_long"), 1}};
    EXPECT_EQ(run.summary.value(QStringLiteral("quarantined_by_reason")).toObject(), expectedByReason);

    const QJsonObject list = vigilctlJson({QStringLiteral("quarantine"), QStringLiteral("list"), QStringLiteral("--db"), q(db)});
    EXPECT_EQ(list.value(QStringLiteral("total")).toInteger(), 8);
    EXPECT_EQ(list.value(QStringLiteral("by_reason")).toObject(), expectedByReason);
    const QJsonArray entries = list.value(QStringLiteral("entries")).toArray();
    ASSERT_EQ(entries.size(), 8);
    for (const auto &value : entries) {
        const QJsonObject e = value.toObject();
        const auto line = e.value(QStringLiteral("line")).toInteger();
        const auto want = std::find_if(log.refusedLines().begin(), log.refusedLines().end(),
                                       [&](const auto &r) { return r.line == line; });
        ASSERT_NE(want, log.refusedLines().end()) << "unexpected line " << line;
        EXPECT_EQ(e.value(QStringLiteral("reason")).toString(), q(want->reason));
        EXPECT_EQ(e.value(QStringLiteral("byte_offset")).toInteger(), want->offset);
        EXPECT_EQ(e.value(QStringLiteral("source")).toString(), q(file));
        EXPECT_EQ(e.value(QStringLiteral("raw_size")).toInteger(), static_cast<qint64>(want->body.size()));
    }

    // Filtering by reason, and the over-long line's first 4 KiB.
    const QJsonObject longOnes = vigilctlJson({QStringLiteral("quarantine"), QStringLiteral("list"), QStringLiteral("--reason"),
                                               QStringLiteral("line_too_long"), QStringLiteral("--db"), q(db)});
    ASSERT_EQ(longOnes.value(QStringLiteral("entries")).toArray().size(), 1);
    const auto longId = longOnes.value(QStringLiteral("entries")).toArray().first().toObject().value(QStringLiteral("id")).toInteger();
    const QJsonObject shown = vigilctlJson({QStringLiteral("quarantine"), QStringLiteral("show"), QString::number(longId),
                                            QStringLiteral("--db"), q(db)});
    const std::string body = overLong();
    EXPECT_EQ(shown.value(QStringLiteral("raw")).toString().toStdString(), body.substr(0, 4096));
    EXPECT_TRUE(shown.value(QStringLiteral("raw_truncated")).toBool());
    EXPECT_EQ(shown.value(QStringLiteral("raw_size")).toInteger(), static_cast<qint64>(body.size()));
}

TEST(IngestEncoding, LineOfExactlyTheLimitIsStoredOneByteMoreIsNot)
{
    TempDir dir;
    const std::string atLimit = recordLineWithInput("at-limit", 0);
    const std::string exactly = recordLineWithInput("at-limit", kMaxLine - atLimit.size());
    ASSERT_EQ(exactly.size(), kMaxLine);
    LogBuilder log;
    log.validLine("at-limit", exactly);
    log.refused("line_too_long", recordLineWithInput("one-over", kMaxLine - atLimit.size() + 1));
    log.valid("tail");
    // An over-long last line without a newline is quarantined too.
    log.refused("line_too_long", recordLineWithInput("last-over", kMaxLine + 5000), "");
    const std::string file = dir.path("limits.ndjson");
    writeFile(file, log.text());
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {file});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 2);
    EXPECT_EQ(storedIds(db), (std::set<std::string>{"at-limit", "tail"}));
    expectQuarantined(db, file, log);
}

TEST(IngestEncoding, GzipIsReadLikeThePlainFile)
{
    TempDir dir;
    LogBuilder log;
    log.bom();
    log.valid("gz-1", "\r\n");
    log.blank("", "\r\n");
    log.refused("invalid_utf8", invalidUtf8(), "\r\n");
    log.valid("gz-2");
    log.refused("line_too_long", overLong());
    log.valid("gz-3", "");
    const std::string file = dir.path("log.ndjson.gz");
    writeFile(file, gzipMember(log.text()));
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {file});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 3);
    EXPECT_EQ(storedIds(db), std::set<std::string>(log.ids().begin(), log.ids().end()));
    // Offsets are of the uncompressed stream.
    expectQuarantined(db, file, log);

    // Again: nothing new, nothing counted twice.
    const IngestRun again = ingestFiles(db, {file});
    ASSERT_EQ(again.process.exitCode, 0) << again.process.err;
    EXPECT_EQ(again.summary.value(QStringLiteral("records")).toInteger(), 0);
    EXPECT_EQ(again.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    EXPECT_EQ(again.summary.value(QStringLiteral("quarantined")).toInteger(), 0);
}

TEST(IngestEncoding, MultiMemberGzipAndAnAppendedMember)
{
    TempDir dir;
    std::string first, second, third;
    for (int i = 0; i < 300; ++i)
        first += recordLine("m1-" + std::to_string(i)) + "\n";
    // The first member ends mid-line: lines may span members.
    first += recordLine("spanning").substr(0, 40);
    second = recordLine("spanning").substr(40) + "\n";
    for (int i = 0; i < 200; ++i)
        second += recordLine("m2-" + std::to_string(i)) + "\n";
    for (int i = 0; i < 100; ++i)
        third += recordLine("m3-" + std::to_string(i)) + "\n";
    const std::string file = dir.path("multi.ndjson.gz");
    writeFile(file, gzipMember(first) + gzipMember(second));
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {file});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 501);
    EXPECT_EQ(run.summary.value(QStringLiteral("quarantined")).toInteger(), 0);

    // A member appended later (cat new.gz >> log.gz) is read from where we stopped.
    appendFile(file, gzipMember(third));
    const IngestRun grown = ingestFiles(db, {file});
    ASSERT_EQ(grown.process.exitCode, 0) << grown.process.err;
    EXPECT_EQ(grown.summary.value(QStringLiteral("records")).toInteger(), 100);
    EXPECT_EQ(grown.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), 601);
    EXPECT_TRUE(probe.quarantine().empty());
}

TEST(IngestEncoding, TruncatedOrCorruptGzipIsAnErrorNotACrash)
{
    TempDir dir;
    std::string text;
    std::vector<std::string> ids;
    for (int i = 0; i < 20000; ++i) {
        ids.push_back("t-" + std::to_string(i));
        text += recordLineWithInput(ids.back(), 50 + static_cast<std::size_t>(i % 200)) + "\n";
    }
    const std::string whole = gzipMember(text);
    const std::string truncated = dir.path("truncated.ndjson.gz");
    writeFile(truncated, whole.substr(0, whole.size() / 2));
    std::string damaged = whole;
    for (std::size_t i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i)
        damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    const std::string corrupt = dir.path("corrupt.ndjson.gz");
    writeFile(corrupt, damaged);
    const std::string headerOnly = dir.path("header.ndjson.gz");
    writeFile(headerOnly, whole.substr(0, 6));
    const std::string good = dir.path("good.ndjson");
    writeFile(good, recordLine("good-1") + "\n" + recordLine("good-2") + "\n");
    const std::string db = dir.path("store.db");

    const IngestRun run = ingestFiles(db, {truncated, good});
    EXPECT_FALSE(run.process.crashed);
    EXPECT_EQ(run.process.exitCode, 2) << run.process.err;
    EXPECT_NE(run.process.err.find(truncated), std::string::npos) << run.process.err;
    EXPECT_NE(run.process.err.find("truncated"), std::string::npos) << run.process.err;

    // What came out of the readable part is stored, in order, once; the file
    // after the bad one is still ingested.
    StoreProbe probe(db);
    const auto stored = probe.requestIds();
    std::set<std::string> storedSet(stored.begin(), stored.end());
    EXPECT_TRUE(storedSet.contains("good-1") && storedSet.contains("good-2"));
    std::size_t fromTruncated = 0;
    while (fromTruncated < ids.size() && storedSet.contains(ids[fromTruncated]))
        ++fromTruncated;
    EXPECT_GT(fromTruncated, 0u);
    EXPECT_LT(fromTruncated, ids.size());
    EXPECT_EQ(stored.size(), fromTruncated + 2) << "stored records must be a prefix of the file";

    // Running again stores nothing twice and fails the same way.
    const IngestRun again = ingestFiles(db, {truncated});
    EXPECT_EQ(again.process.exitCode, 2);
    EXPECT_EQ(again.summary.value(QStringLiteral("records")).toInteger(), 0);
    EXPECT_EQ(StoreProbe(db).requestCount(), static_cast<std::int64_t>(fromTruncated + 2));

    for (const std::string &bad : {corrupt, headerOnly}) {
        const IngestRun r = ingestFiles(dir.path("other.db"), {bad});
        EXPECT_FALSE(r.process.crashed);
        EXPECT_EQ(r.process.exitCode, 2) << bad << ": " << r.process.err;
        EXPECT_NE(r.process.err.find(bad), std::string::npos) << r.process.err;
    }
    EXPECT_TRUE(StoreProbe(dir.path("other.db")).rollupMismatches().empty());
}
