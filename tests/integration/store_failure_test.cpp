// When the store cannot be written (disk full, a path that cannot hold a
// store) or an input file cannot be read: the exit code and reason of the
// spec, the store left as it was at its last committed batch, nothing lost
// on the re-run, and readable files still ingested.
#include "integration_helpers.h"
#include "reference_log.h"
#include "store_probe.h"
#include "vigilctl_child.h"

#include "record/price_table.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>
#include <sys/resource.h>

using namespace vigil::test;

namespace {

constexpr int kWaitMs = 120000;

// Runs `vigilctl ingest` with every file it writes limited to `maxFileBytes`
// (RLIMIT_FSIZE): past it a write fails with EFBIG, which the store sees as
// a full disk. SIGXFSZ is ignored so the write fails instead of killing us.
ProcessResult ingestWithFileSizeLimit(const std::string &db, const std::string &file, rlim_t maxFileBytes)
{
    VigilctlChild child({QStringLiteral("ingest"), QStringLiteral("--db"), q(db), QStringLiteral("--json"),
                         QStringLiteral("--batch"), QStringLiteral("500"), q(file)},
                        [maxFileBytes] {
                            const rlimit limit{maxFileBytes, maxFileBytes};
                            ::setrlimit(RLIMIT_FSIZE, &limit);
                            ::signal(SIGXFSZ, SIG_IGN);
                        });
    EXPECT_TRUE(child.started());
    EXPECT_TRUE(child.waitForExit(kWaitMs));
    return child.result();
}

std::string generateLog(const TempDir &dir, const std::string &name, int records, int seed)
{
    const std::string file = dir.path(name);
    const ProcessResult r = runVigilctl(
        {QStringLiteral("generate"), QStringLiteral("--out"), q(file), QStringLiteral("--records"), QString::number(records),
         QStringLiteral("--payload"), QStringLiteral("200-400"), QStringLiteral("--malformed"), QStringLiteral("0.001"),
         QStringLiteral("--now"), QStringLiteral("2026-03-10T05:17:23.456Z"), QStringLiteral("--since"),
         QStringLiteral("6h"), QStringLiteral("--seed"), QString::number(seed)});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return file;
}

void expectSound(const std::string &db)
{
    StoreProbe probe(db);
    EXPECT_EQ(probe.integrityCheck(), "ok");
    const auto problems = probe.rollupMismatches();
    EXPECT_TRUE(problems.empty()) << describeProblems(problems);
}

std::set<std::string> ids(const std::vector<ReferenceRecord> &records)
{
    std::set<std::string> out;
    for (const auto &r : records)
        out.insert(r.requestId);
    return out;
}

std::set<std::string> storedIds(const std::string &db)
{
    const auto v = StoreProbe(db).requestIds();
    return {v.begin(), v.end()};
}

} // namespace

TEST(StoreFailure, DiskFullStopsWithExit3AndLosesNothingCommitted)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    const std::string first = generateLog(dir, "first.ndjson", 200, 1);
    const std::string big = generateLog(dir, "big.ndjson", 20000, 2);
    const vigil::PriceTable &prices = vigil::PriceTable::builtin();
    const ReferenceLog firstRef = readReferenceLog(first, prices);
    const ReferenceLog bigRef = readReferenceLog(big, prices);

    const IngestRun setUp = ingestFiles(db, {first});
    ASSERT_EQ(setUp.process.exitCode, 0) << setUp.process.err;

    // Room for a few MB of log, far less than the 20,000 records need.
    const auto limit = static_cast<rlim_t>(std::filesystem::file_size(db)) + (6u << 20);
    const ProcessResult full = ingestWithFileSizeLimit(db, big, limit);
    EXPECT_FALSE(full.crashed);
    EXPECT_EQ(full.exitCode, 3) << full.err;
    EXPECT_NE(full.err.find(db), std::string::npos) << full.err;
    EXPECT_NE(full.err.find("full"), std::string::npos) << "the reason names the full disk: " << full.err;
    const QJsonObject summary = parseJsonObject(full.out);
    EXPECT_TRUE(summary.contains(QStringLiteral("store_error")));

    // The store opens, is sound, and holds exactly the first file plus whole
    // batches of the big one, as the summary says.
    expectSound(db);
    const auto partial = storedIds(db);
    const std::int64_t committedOfBig = static_cast<std::int64_t>(partial.size()) -
                                        static_cast<std::int64_t>(firstRef.records.size());
    EXPECT_EQ(summary.value(QStringLiteral("records")).toInteger(), committedOfBig);
    EXPECT_GT(committedOfBig, 0) << "some batches fit before the limit";
    EXPECT_LT(committedOfBig, static_cast<std::int64_t>(bigRef.records.size()));
    const auto firstIds = ids(firstRef.records);
    EXPECT_TRUE(std::includes(partial.begin(), partial.end(), firstIds.begin(), firstIds.end()));

    // The query side still answers from the store as it is.
    const QJsonObject spend = vigilctlJson({QStringLiteral("query"), QStringLiteral("spend"), QStringLiteral("--db"), q(db),
                                            QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"),
                                            QStringLiteral("4102444800000")});
    EXPECT_EQ(spend.value(QStringLiteral("requests")).toInteger(), static_cast<qint64>(partial.size()));

    // Without the limit the run completes: every record exactly once.
    const IngestRun rest = ingestFiles(db, {big});
    ASSERT_EQ(rest.process.exitCode, 0) << rest.process.err;
    EXPECT_EQ(rest.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    EXPECT_EQ(rest.summary.value(QStringLiteral("records")).toInteger(),
              static_cast<qint64>(bigRef.records.size()) - committedOfBig);
    expectSound(db);
    std::set<std::string> all = ids(firstRef.records);
    const auto bigIds = ids(bigRef.records);
    all.insert(bigIds.begin(), bigIds.end());
    EXPECT_EQ(storedIds(db), all);
    EXPECT_EQ(StoreProbe(db).quarantine().size(), static_cast<std::size_t>(firstRef.invalid + bigRef.invalid));
}

TEST(StoreFailure, DiskFullWhileCreatingTheStore)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    const std::string log = generateLog(dir, "log.ndjson", 2000, 3);
    const ProcessResult full = ingestWithFileSizeLimit(db, log, 8192);
    EXPECT_FALSE(full.crashed);
    EXPECT_EQ(full.exitCode, 3) << full.err;
    EXPECT_NE(full.err.find(db), std::string::npos) << full.err;

    const IngestRun again = ingestFiles(db, {log});
    ASSERT_EQ(again.process.exitCode, 0) << again.process.err;
    const ReferenceLog reference = readReferenceLog(log, vigil::PriceTable::builtin());
    EXPECT_EQ(storedIds(db), ids(reference.records));
    expectSound(db);
}

TEST(StoreFailure, StoreThatCannotBeWrittenIsExit3)
{
    TempDir dir;
    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");
    const std::string regularFile = dir.path("not-a-folder");
    writeFile(regularFile, "just a file\n");
    std::filesystem::create_directory(dir.path("a-folder"));

    // We run as root, so permissions stop nothing: use places no one can
    // write. The message names the store and the system's reason.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {regularFile + "/store.db", "Not a directory"},
        {"/proc/vigil-test-store.db", "No such file or directory"},
        {dir.path("a-folder"), "Is a directory"},
    };
    for (const auto &[db, reason] : cases) {
        const IngestRun run = ingestFiles(db, {log});
        EXPECT_FALSE(run.process.crashed);
        EXPECT_EQ(run.process.exitCode, 3) << db << ": " << run.process.err;
        EXPECT_NE(run.process.err.find(db + ": "), std::string::npos) << run.process.err;
        EXPECT_NE(run.process.err.find(reason), std::string::npos) << run.process.err;
    }
    EXPECT_EQ(readFile(regularFile), "just a file\n");
    EXPECT_TRUE(std::filesystem::is_empty(dir.path("a-folder")));

    // Reading a store that does not exist is a runtime failure too, and creates nothing.
    const std::string missing = dir.path("missing.db");
    const ProcessResult query = runVigilctl({QStringLiteral("query"), QStringLiteral("latency"), QStringLiteral("--db"),
                                             q(missing), QStringLiteral("--json")});
    EXPECT_EQ(query.exitCode, 3) << query.err;
    EXPECT_NE(query.err.find(missing), std::string::npos) << query.err;
    EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(StoreFailure, UnreadableFilesAreExit2AndTheOthersAreIngested)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    const std::string good1 = dir.path("good1.ndjson");
    const std::string good2 = dir.path("good2.ndjson");
    writeFile(good1, recordLine("g1-a") + "\n" + recordLine("g1-b") + "\n");
    writeFile(good2, recordLine("g2-a") + "\n");
    const std::string missing = dir.path("missing.ndjson");
    const std::string folder = dir.path("folder.ndjson");
    std::filesystem::create_directory(folder);

    const IngestRun run = ingestFiles(db, {missing, good1, folder, good2});
    EXPECT_FALSE(run.process.crashed);
    EXPECT_EQ(run.process.exitCode, 2) << run.process.err;
    EXPECT_NE(run.process.err.find(missing + ": No such file or directory"), std::string::npos) << run.process.err;
    EXPECT_NE(run.process.err.find(folder + ": Is a directory"), std::string::npos) << run.process.err;
    EXPECT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), 3);
    EXPECT_EQ(run.summary.value(QStringLiteral("file_errors")).toArray().size(), 2);
    EXPECT_EQ(storedIds(db), (std::set<std::string>{"g1-a", "g1-b", "g2-a"}));
}
