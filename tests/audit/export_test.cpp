// `vigilctl audit export`: NDJSON re-ingested into a new store gives the same
// records field by field (and so the same row hashes); CSV parses back with
// quotes, commas and newlines in fields; an unwritable output fails with exit
// 3 before any work; a large export streams instead of loading the window.
#include "audit_fixtures.h"
#include "test_support.h"

#include "metrics/time_window.h"
#include "store/audit_reader.h"

#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <map>

extern char **environ;

namespace vigil::test {
namespace {

// Records whose JSON values a naive re-serialisation would change: key order,
// big integers, float spellings, escapes, non-ASCII, empty and nested values.
std::vector<std::string> awkwardLines(std::int64_t ts)
{
    const std::string t = std::to_string(ts);
    return {
        R"({"ts":)" + t + R"(,"request_id":"awk-1","tenant":"acme","model":"gpt-4o","latency_ms":12.5,"outcome":"ok",)"
        R"("input":[{"role":"user","content":"a \"quoted\", comma\nand newline"},{"role":"assistant","content":"ok"}],)"
        R"("output":"line one\nline two, with \"quotes\" and a tab\t.","zeta":1,"alpha":{"z":1,"a":[1,2.50,1e3]},)"
        R"("big_id":9007199254740993,"ratio":0.1,"neg":-0.0})",
        R"({"ts":)" + t + R"(,"request_id":"awk-2","tenant":"globex","model":"claude-3-5-haiku-20241022","latency_ms":0,)"
        R"("outcome":"error","error_type":"http_5xx","user":"o'brien, \"the boss\"","input":"Zürich café — naïve 東京",)"
        R"("retrieval_context":[{"text":"doc","score":0.25,"id":"kb-1"},"plain",{"nested":{"deep":[true,false,null]}}],)"
        R"("action":{"type":"ticket_updated","ticket":42,"fields":{"b":2,"a":1}},"output":""})",
        R"({"ts":)" + t + R"(,"request_id":"awk-3","tenant":"acme","model":"gpt-4o-mini","latency_ms":99.9,"outcome":"ok",)"
        R"("input_tokens":1000,"output_tokens":500,"retrieval_hits":0,"trace_id":"t,1","session_id":"s\r\n2"})",
        R"({"ts":)" + t + R"(,"request_id":"awk-4","tenant":"acme","model":"unknown-model-x","latency_ms":1,"outcome":"ok",)"
        R"("input_tokens":10,"output_tokens":5,"cost_usd":0})",
        R"({"ts":)" + t + R"(,"request_id":"awk-5","tenant":"acme","model":"gpt-4o","latency_ms":1e-3,"outcome":"refused",)"
        R"("cost_usd":1.0000000000000002,"input":[],"retrieval_context":[],"action":"","empty_obj":{},"unicode_key_é":"\u00e9\ud83d\ude00"})",
    };
}

class ExportTest : public ::testing::Test
{
protected:
    void SetUp() override { m_db = m_dir.path("a.db"); }

    void buildStore(int records)
    {
        Rng rng(11);
        RecordShape shape;
        shape.toMs = currentTimeMs();
        shape.fromMs = shape.toMs - 2 * kDayMs;
        std::string log;
        for (int i = 0; i < records; ++i)
            log += toLine(randomRecord(rng, "e-" + std::to_string(i), shape)) + "\n";
        for (const auto &line : awkwardLines(shape.toMs - kHourMs))
            log += line + "\n";
        writeFile(m_dir.path("a.ndjson"), log);
        ingest(m_db, m_dir.path("a.ndjson"));
    }

    static void ingest(const std::string &db, const std::string &file)
    {
        const ProcessResult r = runVigilctl({QStringLiteral("ingest"), QStringLiteral("--db"), QString::fromStdString(db),
                                             QStringLiteral("--no-index"), QString::fromStdString(file)});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        ASSERT_NE(r.out.find(" 0 quarantined"), std::string::npos) << r.out;
    }

    ProcessResult exportTo(const std::string &format, const std::string &output, const QStringList &extra = {})
    {
        return runVigilctl(QStringList{QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"),
                                       QString::fromStdString(m_db), QStringLiteral("--format"), QString::fromStdString(format),
                                       QStringLiteral("--output"), QString::fromStdString(output)} +
                           wideWindow() + extra);
    }

    static std::vector<Record> allRecords(const std::string &db)
    {
        std::vector<Record> out;
        AuditFilter all;
        all.window = {0, INT64_MAX};
        AuditReader(db).forEach(all, AuditSort::TimeAsc, [&out](const AuditRow &row) {
            out.push_back(row.record);
            return true;
        });
        return out;
    }

    TempDir m_dir;
    std::string m_db;
};

TEST_F(ExportTest, NdjsonReingestsToTheSameRecords)
{
    buildStore(300);
    const std::string file = m_dir.path("export.ndjson");
    const ProcessResult r = exportTo("ndjson", file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string copy = m_dir.path("b.db");
    ingest(copy, file);

    const std::vector<Record> original = allRecords(m_db);
    ASSERT_EQ(original.size(), 305u);
    AuditReader again(copy);
    int reported = 0, computed = 0, unknown = 0;
    for (const Record &a : original) {
        const auto row = again.byRequestId(a.requestId);
        ASSERT_TRUE(row.has_value()) << a.requestId << " was not re-ingested";
        const Record &b = row->record;
        SCOPED_TRACE(a.requestId);
        EXPECT_EQ(b.tsMs, a.tsMs);
        EXPECT_EQ(b.tenant, a.tenant);
        EXPECT_EQ(b.model, a.model);
        EXPECT_EQ(b.provider, a.provider);
        EXPECT_EQ(b.promptName, a.promptName);
        EXPECT_EQ(b.promptVersion, a.promptVersion);
        EXPECT_EQ(b.latencyMs, a.latencyMs);
        EXPECT_EQ(b.outcome, a.outcome);
        EXPECT_EQ(b.inputTokens, a.inputTokens);
        EXPECT_EQ(b.outputTokens, a.outputTokens);
        EXPECT_EQ(static_cast<int>(b.costSource), static_cast<int>(a.costSource)) << "reported stays reported, computed computed";
        EXPECT_EQ(b.costUsd, a.costUsd);
        EXPECT_EQ(b.retrievalHits, a.retrievalHits);
        EXPECT_EQ(b.errorType, a.errorType);
        EXPECT_EQ(b.user, a.user);
        EXPECT_EQ(b.traceId, a.traceId);
        EXPECT_EQ(b.sessionId, a.sessionId);
        EXPECT_EQ(b.inputJson, a.inputJson);
        EXPECT_EQ(b.output, a.output);
        EXPECT_EQ(b.retrievalContextJson, a.retrievalContextJson);
        EXPECT_EQ(b.actionJson, a.actionJson);
        EXPECT_EQ(b.attributesJson, a.attributesJson);
        EXPECT_EQ(b.redacted, a.redacted);
        // The canonical form is equal, so the row hash is too.
        EXPECT_EQ(b.rowHash, a.rowHash);
        reported += a.costSource == CostSource::Reported;
        computed += a.costSource == CostSource::Computed;
        unknown += a.costSource == CostSource::Unknown;
        if (::testing::Test::HasFailure())
            return;
    }
    EXPECT_EQ(allRecords(copy).size(), original.size());
    EXPECT_GT(reported, 20);
    EXPECT_GT(computed, 20);
    EXPECT_GT(unknown, 5);
}

// RFC 4180: fields separated by commas, quoted when they hold commas, quotes
// or line ends, quotes doubled inside.
std::vector<std::vector<std::string>> parseCsv(const std::string &text)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, wasQuoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
            wasQuoted = false;
        } else if (c == '\n') {
            row.push_back(field);
            rows.push_back(row);
            row.clear();
            field.clear();
            wasQuoted = false;
        } else {
            EXPECT_FALSE(wasQuoted) << "text after a closing quote at byte " << i;
            field += c;
        }
    }
    EXPECT_FALSE(quoted) << "an unclosed quote";
    EXPECT_TRUE(field.empty() && row.empty()) << "the last line has no line end";
    return rows;
}

TEST_F(ExportTest, CsvParsesBackWithQuotesCommasAndNewlines)
{
    buildStore(100);
    const std::string file = m_dir.path("export.csv");
    const ProcessResult r = exportTo("csv", file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto rows = parseCsv(readFile(file));
    ASSERT_FALSE(rows.empty());
    const std::vector<std::string> header = rows.front();
    const std::vector<Record> records = allRecords(m_db);
    ASSERT_EQ(rows.size(), records.size() + 1);
    auto column = [&header](const std::string &name) {
        const auto it = std::find(header.begin(), header.end(), name);
        EXPECT_NE(it, header.end()) << name;
        return static_cast<std::size_t>(it - header.begin());
    };
    std::map<std::string, const Record *> byId;
    for (const Record &rec : records)
        byId[rec.requestId] = &rec;
    int awkward = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto &row = rows[i];
        ASSERT_EQ(row.size(), header.size()) << "row " << i;
        const Record *rec = byId[row[column("request_id")]];
        ASSERT_NE(rec, nullptr) << row[column("request_id")];
        EXPECT_EQ(row[column("tenant")], rec->tenant);
        EXPECT_EQ(row[column("user")], rec->user);
        EXPECT_EQ(row[column("trace_id")], rec->traceId);
        EXPECT_EQ(row[column("session_id")], rec->sessionId);
        EXPECT_EQ(row[column("error_type")], rec->errorType);
        EXPECT_EQ(std::stod(row[column("latency_ms")]), rec->latencyMs);
        if (rec->costUsd)
            EXPECT_EQ(std::stod(row[column("cost_usd")]), *rec->costUsd);
        else
            EXPECT_EQ(row[column("cost_usd")], "");
        awkward += rec->requestId.starts_with("awk-");
    }
    EXPECT_EQ(awkward, 5);
}

TEST_F(ExportTest, AnUnwritableOutputFailsBeforeAnyWork)
{
    // No store at all: had the export opened it first, that would be the error.
    const std::string missingStore = m_dir.path("no-such-store.db");
    m_db = missingStore;
    for (const std::string &output : std::vector<std::string>{"/proc/vigil-export.ndjson", m_dir.path("no/such/folder/out.ndjson"), m_dir.root()}) {
        const ProcessResult r = exportTo("ndjson", output);
        EXPECT_EQ(r.exitCode, 3) << output << ": " << r.err;
        EXPECT_NE(r.err.find(output), std::string::npos) << "the message names the output: " << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    EXPECT_FALSE(QFile::exists(QString::fromStdString(missingStore))) << "the export created a store";
}

// Runs vigilctl and returns its exit code and peak resident memory (KiB).
std::pair<int, long> runMeasured(const QStringList &args)
{
    std::vector<std::string> strings{vigilctlPath().toStdString()};
    for (const QString &a : args)
        strings.push_back(a.toStdString());
    std::vector<char *> argv;
    for (auto &s : strings)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return {-1, 0};
    int status = 0;
    struct rusage usage{};
    wait4(pid, &status, 0, &usage);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

TEST_F(ExportTest, ALargeExportStreams)
{
    constexpr long long kGeneratedUntil = 1795745584123; // 2026-11-26T12:53:04Z
    const std::string log = m_dir.path("big.ndjson");
    const ProcessResult gen = runVigilctl({QStringLiteral("generate"), QStringLiteral("--out"), QString::fromStdString(log),
                                           QStringLiteral("--records"), QStringLiteral("25000"), QStringLiteral("--payload"),
                                           QStringLiteral("4000-6000"), QStringLiteral("--since"), QStringLiteral("6h"),
                                           QStringLiteral("--now"), QString::number(kGeneratedUntil)});
    ASSERT_EQ(gen.exitCode, 0) << gen.err;
    ingest(m_db, log);
    // The same export over a short window and over everything: if the
    // export held its window in memory, the peak would grow with it.
    auto measure = [&](const QStringList &window, const std::string &name) {
        const std::string out = m_dir.path(name);
        const auto [code, peakKiB] = runMeasured(QStringList{QStringLiteral("audit"), QStringLiteral("export"),
                                                             QStringLiteral("--db"), QString::fromStdString(m_db),
                                                             QStringLiteral("--output"), QString::fromStdString(out)} +
                                                 window);
        EXPECT_EQ(code, 0);
        return std::pair{static_cast<double>(QFileInfo(QString::fromStdString(out)).size()) / (1 << 20),
                         static_cast<double>(peakKiB) / 1024};
    };
    // The smaller export: the last hour of the log, pinned in time so that its
    // share does not depend on the hour the test runs at (the generator has a
    // daily rhythm), and already more than the store's read cache holds.
    const auto [smallMiB, smallPeak] =
        measure({QStringLiteral("--from"), QString::number(kGeneratedUntil - 3'600'000), QStringLiteral("--to"),
                 QString::number(kGeneratedUntil + 1)},
                "small.ndjson");
    const auto [allMiB, allPeak] = measure(wideWindow(), "all.ndjson");
    std::printf("exported %.0f MiB with a peak of %.0f MiB resident; %.0f MiB with %.0f MiB\n", smallMiB, smallPeak,
                allMiB, allPeak);
    EXPECT_GT(allMiB, 2 * smallMiB);
    EXPECT_GT(allMiB - smallMiB, 60);
    EXPECT_LT(allPeak - smallPeak, 24) << "the export's memory grows with its window";
}

} // namespace
} // namespace vigil::test
