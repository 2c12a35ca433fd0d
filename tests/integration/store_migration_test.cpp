// Schema migrations: a store left at any earlier version reaches the latest
// schema (the same as a fresh store's) with its data when opened through the
// normal API; a failed step changes nothing; a store newer than this build,
// another application's SQLite file and a file that is not SQLite are refused
// without being touched.
#include "integration_helpers.h"
#include "store_probe.h"

#include "metrics/latency_sketch.h"
#include "store/batch_writer.h"
#include "store/connection.h"
#include "store/metrics_reader.h"
#include "store/migrations.h"
#include "store/sqlite_handle.h"
#include "store/store_error.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace vigil;
using namespace vigil::test;

namespace {

constexpr std::int64_t kTs = 1795745584123;

// A store as a Vigil of schema `version` left it: created with the same
// initialisation, migrated that far and no further.
void buildStoreAt(const std::string &path, int version)
{
    sql::Database db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("PRAGMA page_size = 16384");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA application_id = " + std::to_string(kVigilApplicationId));
    migrateSchema(db, version);
    ASSERT_EQ(db.queryInt("PRAGMA user_version"), version);
}

// Puts the data the schema at `version` can hold into the store; returns how
// many requests it stored.
std::int64_t seedData(const std::string &path, int version)
{
    if (version < 1)
        return 0; // no tables yet
    sql::Database db(path, SQLITE_OPEN_READWRITE);
    db.exec("INSERT INTO labels(id, tenant, model, provider, prompt_name, prompt_version) "
            "VALUES(1, 'acme', 'gpt-4o-mini', 'openai', 'summarize', '3f9c2ab')");
    db.exec("INSERT INTO batches(id, committed_at, source, records) VALUES(1, 1, 'seed', 2)");
    db.exec("INSERT INTO requests(request_id, ts, label_id, latency_ms, outcome, input_tokens, "
            "output_tokens, cost_usd, cost_source, batch_id, input) VALUES"
            "('seed-1', " + std::to_string(kTs) + ", 1, 120.5, 0, 10, 5, 0.001, 1, 1, '\"hi\"'),"
            "('seed-2', " + std::to_string(kTs + 1000) + ", 1, 80, 1, 20, 0, 0.002, 1, 1, NULL)");
    // The rollups those two rows make, written by the real writer's code path
    // would need the current schema; a sketch of both latencies is built here.
    LatencySketch sketch;
    sketch.add(120.5);
    sketch.add(80);
    for (const char *table : {"rollup_minute", "rollup_hour"}) {
        const std::int64_t unit = std::string(table) == "rollup_minute" ? 60'000 : 3'600'000;
        sql::Statement s(db, std::string("INSERT INTO ") + table +
                                 " VALUES(?1, 1, 1, 1, 0, 0, 0, 0, 30, 5, 0.003, 0, 0, 0, 0, 0, 200.5, 120.5, ?2)");
        const std::string blob = sketch.encode();
        s.bind(1, kTs - kTs % unit).bindBlob(2, blob);
        s.run();
    }
    db.exec("INSERT INTO quarantine(received_at, source, line, byte_offset, reason, detail, raw, raw_size) "
            "VALUES(1, 'seed.ndjson', 3, 200, 'invalid_json', 'cut', 'raw', 3)");
    return 2;
}

void expectSeedKept(const std::string &path, int version, std::int64_t requests)
{
    StoreProbe probe(path);
    EXPECT_EQ(probe.requestCount(), requests);
    if (version < 1)
        return;
    const auto problems = probe.rollupMismatches();
    EXPECT_TRUE(problems.empty()) << describeProblems(problems);
    EXPECT_EQ(probe.quarantine().size(), 1u);
    MetricsReader reader(path);
    MetricsRequest request;
    request.window = {kTs - 3'600'000, kTs + 3'600'000};
    const MetricsResult result = reader.query(request);
    ASSERT_EQ(result.groups.size(), 1u);
    EXPECT_EQ(result.groups.front().totals.requests(), 2u);
    EXPECT_EQ(result.groups.front().latency.p50, 80);
}

std::vector<std::string> freshSchema(const TempDir &dir)
{
    const std::string path = dir.path("fresh.db");
    {
        BatchWriter writer(path);
    }
    StoreProbe probe(path);
    EXPECT_EQ(probe.userVersion(), latestSchemaVersion());
    return probe.schema();
}

} // namespace

TEST(StoreMigration, EveryEarlierVersionReachesTheLatestSchemaAndKeepsItsData)
{
    TempDir dir;
    const std::vector<std::string> fresh = freshSchema(dir);
    ASSERT_FALSE(fresh.empty());
    // The latest version is included: opened, it must be left as it is.
    for (int version = 0; version <= latestSchemaVersion(); ++version) {
        SCOPED_TRACE("from schema version " + std::to_string(version));
        const std::string path = dir.path("v" + std::to_string(version) + ".db");
        buildStoreAt(path, version);
        const std::int64_t seeded = seedData(path, version);

        // A reader is the first to open it: it brings the store up to date.
        {
            MetricsReader reader(path);
            EXPECT_EQ(reader.totalRequests(), seeded);
        }
        {
            StoreProbe probe(path);
            EXPECT_EQ(probe.userVersion(), latestSchemaVersion());
            EXPECT_EQ(probe.applicationId(), kVigilApplicationId);
            EXPECT_EQ(probe.schema(), fresh);
            EXPECT_EQ(probe.integrityCheck(), "ok");
        }
        expectSeedKept(path, version, seeded);

        // And it takes new data like any store.
        const std::string log = dir.path("v" + std::to_string(version) + ".ndjson");
        writeFile(log, recordLine("after-migration-" + std::to_string(version)) + "\n");
        const IngestRun run = ingestFiles(path, {log});
        EXPECT_EQ(run.process.exitCode, 0) << run.process.err;
        EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 1);
        EXPECT_EQ(StoreProbe(path).requestCount(), seeded + 1);
    }
}

TEST(StoreMigration, StepsTakeAStoreExactlyToEachVersion)
{
    TempDir dir;
    for (int version = 0; version <= latestSchemaVersion(); ++version) {
        const std::string path = dir.path("step" + std::to_string(version) + ".db");
        buildStoreAt(path, version);
        StoreProbe probe(path);
        EXPECT_EQ(probe.userVersion(), version);
        // Migrating again to the same version changes nothing.
        const auto before = probe.schema();
        migrateSchema(probe.database(), version);
        EXPECT_EQ(probe.schema(), before);
    }
}

TEST(StoreMigration, AFailedStepLeavesTheStoreAsItWas)
{
    TempDir dir;
    const std::string path = dir.path("blocked.db");
    {
        sql::Database db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA application_id = " + std::to_string(kVigilApplicationId));
        // A table in the way of the first migration's last statements.
        db.exec("CREATE TABLE sources(x)");
        db.exec("INSERT INTO sources VALUES(42)");
    }
    {
        sql::Database db(path, SQLITE_OPEN_READWRITE);
        EXPECT_THROW(migrateSchema(db), sql::Error);
    }
    StoreProbe probe(path);
    EXPECT_EQ(probe.userVersion(), 0);
    EXPECT_EQ(probe.schema(), (std::vector<std::string>{"table sources: CREATE TABLE sources(x)"}))
        << "nothing of the failed step remains";
    EXPECT_EQ(probe.database().queryInt("SELECT x FROM sources"), 42);

    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");
    const IngestRun run = ingestFiles(path, {log});
    EXPECT_FALSE(run.process.crashed);
    EXPECT_EQ(run.process.exitCode, 3) << run.process.err;
    EXPECT_NE(run.process.err.find(path), std::string::npos) << run.process.err;
}

TEST(StoreMigration, NewerStoreIsRefusedAndNotTouched)
{
    TempDir dir;
    const std::string path = dir.path("newer.db");
    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");
    ASSERT_EQ(ingestFiles(path, {log}).process.exitCode, 0);
    {
        sql::Database db(path, SQLITE_OPEN_READWRITE);
        db.exec("PRAGMA user_version = " + std::to_string(latestSchemaVersion() + 1));
    }
    ASSERT_FALSE(std::filesystem::exists(path + "-wal")) << "closed cleanly, the log is folded in";
    const std::string before = readFile(path);

    writeFile(log, recordLine("b") + "\n");
    const std::vector<QStringList> commands = {
        {QStringLiteral("query"), QStringLiteral("latency"), QStringLiteral("--db"), q(path)},
        {QStringLiteral("ingest"), QStringLiteral("--db"), q(path), q(log)},
        {QStringLiteral("quarantine"), QStringLiteral("list"), QStringLiteral("--db"), q(path)},
    };
    for (const QStringList &args : commands) {
        const ProcessResult r = runVigilctl(args);
        EXPECT_FALSE(r.crashed);
        EXPECT_EQ(r.exitCode, 3) << args.join(QLatin1Char(' ')).toStdString() << ": " << r.err;
        EXPECT_NE(r.err.find("newer"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    }
    EXPECT_EQ(readFile(path), before) << "a newer store is never written";
    EXPECT_THROW(BatchWriter writer(path), StoreError);
    try {
        MetricsReader reader(path);
        ADD_FAILURE() << "a newer store was opened";
    } catch (const StoreError &e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::NewerSchema);
    }
    EXPECT_EQ(readFile(path), before);
}

TEST(StoreMigration, OtherFilesAreNotAVigilStore)
{
    TempDir dir;
    const std::string foreign = dir.path("other-app.sqlite");
    {
        sql::Database db(foreign, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        db.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)");
        db.exec("INSERT INTO notes(text) VALUES('keep me')");
    }
    const std::string text = dir.path("notes.txt");
    std::string lines;
    for (int i = 0; i < 100; ++i)
        lines += "line " + std::to_string(i) + " of a text file that is not a database\n";
    writeFile(text, lines);
    const std::string tiny = dir.path("tiny.txt");
    writeFile(tiny, "hello\n");
    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");

    for (const std::string &path : {foreign, text, tiny}) {
        const std::string before = readFile(path);
        for (const QStringList &args : {QStringList{QStringLiteral("query"), QStringLiteral("spend"), QStringLiteral("--db"), q(path)},
                                        QStringList{QStringLiteral("ingest"), QStringLiteral("--db"), q(path), q(log)}}) {
            const ProcessResult r = runVigilctl(args);
            EXPECT_FALSE(r.crashed);
            EXPECT_EQ(r.exitCode, 3) << path << ": " << r.err;
            EXPECT_NE(r.err.find(path + ": not a Vigil store"), std::string::npos) << r.err;
        }
        EXPECT_EQ(readFile(path), before) << path << " was changed";
        EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
    }
}

TEST(StoreMigration, AnEmptyFileIsANewStore)
{
    TempDir dir;
    const std::string path = dir.path("empty.db");
    writeFile(path, "");
    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");
    const IngestRun run = ingestFiles(path, {log});
    ASSERT_EQ(run.process.exitCode, 0) << run.process.err;
    StoreProbe probe(path);
    EXPECT_EQ(probe.userVersion(), latestSchemaVersion());
    EXPECT_EQ(probe.requestCount(), 1);
}
