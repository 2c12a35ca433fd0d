// Resume and idempotency of `vigilctl ingest`: a grown file is read from
// where the last run stopped, a request_id seen before is a duplicate (stored
// once, counted), and a file replaced at the same path is read from its start.
#include "integration_helpers.h"
#include "store_probe.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

using namespace vigil::test;

namespace {

std::string lines(const std::string &prefix, int from, int to)
{
    std::string text;
    for (int i = from; i < to; ++i)
        text += recordLine(prefix + std::to_string(i), 1795745584123 + i * 1000, 100 + i) + "\n";
    return text;
}

std::int64_t count(const IngestRun &run, const char *key)
{
    return run.summary.value(QLatin1String(key)).toInteger(-1);
}

void expectConsistent(const std::string &db, std::int64_t requests)
{
    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), requests);
    const auto problems = probe.rollupMismatches();
    EXPECT_TRUE(problems.empty()) << describeProblems(problems);
}

} // namespace

TEST(IngestResume, GrownFileReadsOnlyTheNewLines)
{
    TempDir dir;
    const std::string file = dir.path("app.ndjson");
    const std::string db = dir.path("store.db");
    writeFile(file, lines("r", 0, 100));

    const IngestRun first = ingestFiles(db, {file});
    ASSERT_EQ(first.process.exitCode, 0) << first.process.err;
    // The --json summary carries the documented keys.
    for (const char *key : {"records", "duplicates", "quarantined", "quarantined_by_reason", "seconds"})
        EXPECT_TRUE(first.summary.contains(QLatin1String(key))) << key;
    EXPECT_TRUE(first.summary.value(QStringLiteral("quarantined_by_reason")).isObject());
    EXPECT_TRUE(first.summary.value(QStringLiteral("seconds")).isDouble());
    EXPECT_GE(first.summary.value(QStringLiteral("seconds")).toDouble(), 0.0);
    EXPECT_EQ(count(first, "records"), 100);
    EXPECT_EQ(count(first, "duplicates"), 0);
    EXPECT_EQ(count(first, "quarantined"), 0);

    appendFile(file, lines("r", 100, 150) + "not json\n");
    const IngestRun second = ingestFiles(db, {file});
    ASSERT_EQ(second.process.exitCode, 0) << second.process.err;
    EXPECT_EQ(count(second, "records"), 50);
    EXPECT_EQ(count(second, "duplicates"), 0);
    EXPECT_EQ(count(second, "quarantined"), 1);

    const IngestRun third = ingestFiles(db, {file});
    ASSERT_EQ(third.process.exitCode, 0) << third.process.err;
    EXPECT_EQ(count(third, "records"), 0);
    EXPECT_EQ(count(third, "duplicates"), 0);
    EXPECT_EQ(count(third, "quarantined"), 0);

    expectConsistent(db, 150);
    // The bad line keeps its real line number across runs.
    const auto quarantined = StoreProbe(db).quarantine();
    ASSERT_EQ(quarantined.size(), 1u);
    EXPECT_EQ(quarantined.front().line, 151);
}

TEST(IngestResume, LastLineWithoutNewlineAndALineStillBeingWritten)
{
    TempDir dir;
    const std::string file = dir.path("app.ndjson");
    const std::string db = dir.path("store.db");
    // A complete last record without its newline is stored.
    writeFile(file, recordLine("a") + "\n" + recordLine("b"));
    const IngestRun first = ingestFiles(db, {file});
    ASSERT_EQ(first.process.exitCode, 0) << first.process.err;
    EXPECT_EQ(count(first, "records"), 2);

    // The writer adds the newline later, then more lines; the last one is
    // caught half written.
    const std::string cut = recordLine("d");
    appendFile(file, "\n" + recordLine("c") + "\nnot json\n" + cut.substr(0, cut.size() / 2));
    const IngestRun second = ingestFiles(db, {file});
    ASSERT_EQ(second.process.exitCode, 0) << second.process.err;
    EXPECT_EQ(count(second, "records"), 1);
    EXPECT_EQ(count(second, "quarantined"), 1);
    EXPECT_EQ(count(second, "duplicates"), 0);
    EXPECT_NE(second.process.err.find(file + ":5: the last line has no newline"), std::string::npos)
        << second.process.err;
    EXPECT_NE(second.process.err.find(file + ":5: the last line has no newline"), std::string::npos)
        << second.process.err;

    // Finished, the half-written line is a record like any other: nothing lost.
    appendFile(file, cut.substr(cut.size() / 2) + "\n" + recordLine("e") + "\n");
    const IngestRun third = ingestFiles(db, {file});
    ASSERT_EQ(third.process.exitCode, 0) << third.process.err;
    EXPECT_EQ(count(third, "records"), 2);
    EXPECT_EQ(count(third, "quarantined"), 0);

    StoreProbe probe(db);
    const auto ids = probe.requestIds();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"a", "b", "c", "d", "e"}));
    const auto quarantined = probe.quarantine();
    ASSERT_EQ(quarantined.size(), 1u);
    EXPECT_EQ(quarantined.front().line, 4) << "line numbers follow the file, not the runs";
    EXPECT_EQ(quarantined.front().raw, "not json");
}

TEST(IngestResume, SameRequestIdInTwoFilesIsStoredOnce)
{
    TempDir dir;
    const std::string a = dir.path("a.ndjson");
    const std::string b = dir.path("b.ndjson");
    writeFile(a, lines("id", 0, 10));
    // b repeats five of a's ids (with other content: the first one stays) and
    // one of its own.
    std::string bText;
    for (int i = 5; i < 15; ++i)
        bText += recordLine("id" + std::to_string(i), 1795745584123 + i * 1000, 100 + i, "globex") + "\n";
    bText += recordLine("id14", 1795745584123, 5, "globex") + "\n";
    writeFile(b, bText);

    const std::string db = dir.path("one-by-one.db");
    const IngestRun ra = ingestFiles(db, {a});
    ASSERT_EQ(ra.process.exitCode, 0) << ra.process.err;
    EXPECT_EQ(count(ra, "records"), 10);
    const IngestRun rb = ingestFiles(db, {b});
    ASSERT_EQ(rb.process.exitCode, 0) << rb.process.err;
    EXPECT_EQ(count(rb, "records"), 5);
    EXPECT_EQ(count(rb, "duplicates"), 6);
    expectConsistent(db, 15);

    // The first copy of a repeated id is the one kept.
    const QJsonObject spend = vigilctlJson({QStringLiteral("query"), QStringLiteral("spend"), QStringLiteral("--db"), q(db),
                                            QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"),
                                            QStringLiteral("9999999999999"), QStringLiteral("--by"), QStringLiteral("tenant")});
    std::map<QString, qint64> byTenant;
    for (const auto &g : spend.value(QStringLiteral("groups")).toArray())
        byTenant[g.toObject().value(QStringLiteral("key")).toString()] = g.toObject().value(QStringLiteral("requests")).toInteger();
    EXPECT_EQ(byTenant[QStringLiteral("acme")], 10);
    EXPECT_EQ(byTenant[QStringLiteral("globex")], 5);

    // Both files in one command: the same answer.
    const std::string db2 = dir.path("together.db");
    const IngestRun both = ingestFiles(db2, {a, b});
    ASSERT_EQ(both.process.exitCode, 0) << both.process.err;
    EXPECT_EQ(count(both, "records"), 15);
    EXPECT_EQ(count(both, "duplicates"), 6);
    expectConsistent(db2, 15);
}

TEST(IngestResume, FileReplacedAtTheSamePathIsReadFromItsStart)
{
    TempDir dir;
    const std::string file = dir.path("app.ndjson");
    const std::string db = dir.path("store.db");
    writeFile(file, lines("old", 0, 100));
    ASSERT_EQ(count(ingestFiles(db, {file}), "records"), 100);

    // Renamed over (a new inode), smaller than what we had read.
    const std::string fresh = dir.path("fresh.ndjson");
    writeFile(fresh, lines("new", 0, 30));
    ASSERT_EQ(std::rename(fresh.c_str(), file.c_str()), 0);
    const IngestRun renamed = ingestFiles(db, {file});
    ASSERT_EQ(renamed.process.exitCode, 0) << renamed.process.err;
    EXPECT_EQ(count(renamed, "records"), 30);
    EXPECT_EQ(count(renamed, "duplicates"), 0);

    // Rewritten in place (same inode), longer than before.
    writeFile(file, lines("rewritten", 0, 200));
    const IngestRun rewritten = ingestFiles(db, {file});
    ASSERT_EQ(rewritten.process.exitCode, 0) << rewritten.process.err;
    EXPECT_EQ(count(rewritten, "records"), 200);
    EXPECT_EQ(count(rewritten, "duplicates"), 0);

    // Deleted and created again (the inode may well be reused), shorter.
    ASSERT_EQ(std::remove(file.c_str()), 0);
    writeFile(file, lines("recreated", 0, 10));
    const IngestRun recreated = ingestFiles(db, {file});
    ASSERT_EQ(recreated.process.exitCode, 0) << recreated.process.err;
    EXPECT_EQ(count(recreated, "records"), 10);

    // The same content written again as a new file: read again, all duplicates.
    writeFile(fresh, lines("recreated", 0, 10));
    ASSERT_EQ(std::rename(fresh.c_str(), file.c_str()), 0);
    const IngestRun copy = ingestFiles(db, {file});
    ASSERT_EQ(copy.process.exitCode, 0) << copy.process.err;
    EXPECT_EQ(count(copy, "records"), 0);
    EXPECT_EQ(count(copy, "duplicates"), 10);

    expectConsistent(db, 340);
}
