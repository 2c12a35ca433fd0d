// The crash test: a child `vigilctl ingest` of a large generated log is
// SIGKILLed at random moments many times (while opening the store, mid-batch,
// mid-commit, mid-checkpoint), then run to completion. Every valid line must
// then be stored exactly once, every bad line quarantined exactly once, and
// the rollups must agree with the rows.
#include "integration_helpers.h"
#include "reference_log.h"
#include "store_probe.h"
#include "vigilctl_child.h"

#include "record/price_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>

using namespace vigil::test;

namespace {

constexpr int kWaitMs = 120000;

void generate(const std::string &file, int records, bool gzip)
{
    QStringList args{QStringLiteral("generate"), QStringLiteral("--out"), q(file), QStringLiteral("--records"),
                     QString::number(records), QStringLiteral("--payload"), QStringLiteral("200-400"),
                     QStringLiteral("--malformed"), QStringLiteral("0.001"), QStringLiteral("--now"),
                     QStringLiteral("2026-03-10T05:17:23.456Z"), QStringLiteral("--since"), QStringLiteral("30h"),
                     QStringLiteral("--seed"), QStringLiteral("7")};
    if (gzip)
        args << QStringLiteral("--gzip");
    const ProcessResult r = runVigilctl(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
}

// The store holds exactly what `reference` says the file holds.
void expectExactlyOnce(const std::string &db, const ReferenceLog &reference, const std::string &source)
{
    StoreProbe probe(db);
    EXPECT_EQ(probe.integrityCheck(), "ok");

    std::vector<std::string> ids = probe.requestIds();
    EXPECT_EQ(ids.size(), reference.records.size());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "a request_id is stored twice";
    std::vector<std::string> wanted;
    for (const auto &r : reference.records)
        wanted.push_back(r.requestId);
    std::sort(wanted.begin(), wanted.end());
    std::vector<std::string> missing, extra;
    std::set_difference(wanted.begin(), wanted.end(), ids.begin(), ids.end(), std::back_inserter(missing));
    std::set_difference(ids.begin(), ids.end(), wanted.begin(), wanted.end(), std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << missing.size() << " records lost, e.g. " << missing.front();
    EXPECT_TRUE(extra.empty()) << extra.size() << " records that are not in the file, e.g. " << extra.front();

    // Every bad line once, at its own line number.
    std::vector<std::int64_t> lines;
    for (const auto &row : probe.quarantine()) {
        EXPECT_EQ(row.source, source);
        lines.push_back(row.line.value_or(-1));
    }
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, reference.invalidLines);

    const auto problems = probe.rollupMismatches();
    EXPECT_TRUE(problems.empty()) << describeProblems(problems);

    // And the query API, which reads the rollups, counts the same.
    const QJsonObject spend = vigilctlJson({QStringLiteral("query"), QStringLiteral("spend"), QStringLiteral("--db"), q(db),
                                            QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"),
                                            QStringLiteral("4102444800000")});
    EXPECT_EQ(spend.value(QStringLiteral("requests")).toInteger(), static_cast<qint64>(reference.records.size()));
    std::int64_t inputTokens = 0, outputTokens = 0;
    for (const auto &r : reference.records) {
        inputTokens += r.inputTokens.value_or(0);
        outputTokens += r.outputTokens.value_or(0);
    }
    EXPECT_EQ(spend.value(QStringLiteral("input_tokens")).toInteger(), inputTokens);
    EXPECT_EQ(spend.value(QStringLiteral("output_tokens")).toInteger(), outputTokens);
}

std::int64_t storedSoFar(const std::string &db)
{
    return std::filesystem::exists(db) ? StoreProbe(db).requestCount() : -1;
}

struct KillStats
{
    int kills = 0;
    int runs = 0;
    bool finishedEarly = false;
};

// Starts ingest runs and SIGKILLs each after a random delay, `kills` times
// (or until a run gets to finish on its own).
KillStats killRepeatedly(const std::string &db, const std::string &file, int kills, int maxDelayMs,
                         std::mt19937 &rng)
{
    KillStats stats;
    const char *batches[] = {"500", "2000", "8192"};
    while (stats.kills < kills && stats.runs < kills * 2) {
        ++stats.runs;
        VigilctlChild child({QStringLiteral("ingest"), QStringLiteral("--db"), q(db), QStringLiteral("--json"),
                             QStringLiteral("--batch"), QLatin1String(batches[rng() % 3]), q(file)});
        EXPECT_TRUE(child.started());
        // A third of the kills land early (opening, creating or migrating the
        // store, finding the resume position), a third around the first
        // commits, a third deep into the file.
        const unsigned band = rng() % 3;
        const int delay = band == 0   ? static_cast<int>(rng() % 100)
                          : band == 1 ? 100 + static_cast<int>(rng() % 300)
                                      : 400 + static_cast<int>(rng() % static_cast<unsigned>(maxDelayMs - 400));
        if (child.waitForExit(delay)) {
            const ProcessResult r = child.result();
            EXPECT_EQ(r.exitCode, 0) << r.err;
            stats.finishedEarly = true;
            break;
        }
        child.kill();
        ++stats.kills;
    }
    return stats;
}

} // namespace

TEST(IngestCrash, SigkillAtRandomMomentsLosesAndDuplicatesNothing)
{
    TempDir dir;
    const std::string file = dir.path("big.ndjson");
    const std::string db = dir.path("store.db");
    generate(file, 200000, false);
    const ReferenceLog reference = readReferenceLog(file, vigil::PriceTable::builtin());
    ASSERT_EQ(reference.lines, 200000);
    ASSERT_GT(reference.invalid, 0);
    ASSERT_EQ(reference.records.size() + static_cast<std::size_t>(reference.invalid), 200000u);

    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("kill schedule seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const KillStats stats = killRepeatedly(db, file, 25, 900, rng);
    const std::int64_t beforeLastRun = storedSoFar(db);
    std::cout << "[ crash    ] " << stats.kills << " kills in " << stats.runs << " runs, "
              << beforeLastRun << " records stored before the last run\n";

    const IngestRun last = ingestFiles(db, {file});
    ASSERT_FALSE(last.process.crashed);
    ASSERT_EQ(last.process.exitCode, 0) << last.process.err;
    // Whatever a killed run had committed is not read again.
    EXPECT_EQ(last.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    if (beforeLastRun >= 0) {
        EXPECT_EQ(last.summary.value(QStringLiteral("records")).toInteger(),
                  static_cast<qint64>(reference.records.size()) - beforeLastRun);
    }

    expectExactlyOnce(db, reference, file);
    StoreProbe probe(db);
    const auto sources = probe.sources();
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources.front().offset, static_cast<std::int64_t>(std::filesystem::file_size(file)));
    EXPECT_EQ(sources.front().line, 200000);
}

TEST(IngestCrash, SigkillDuringGzipIngest)
{
    TempDir dir;
    const std::string file = dir.path("big.ndjson.gz");
    const std::string plain = dir.path("big.ndjson");
    const std::string db = dir.path("store.db");
    generate(file, 60000, true);
    generate(plain, 60000, false); // the same lines, for the reference
    const ReferenceLog reference = readReferenceLog(plain, vigil::PriceTable::builtin());
    ASSERT_EQ(reference.lines, 60000);

    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("kill schedule seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const KillStats stats = killRepeatedly(db, file, 10, 700, rng);
    std::cout << "[ crash    ] " << stats.kills << " kills in " << stats.runs << " runs, "
              << storedSoFar(db) << " records stored before the last run\n";

    const IngestRun last = ingestFiles(db, {file});
    ASSERT_EQ(last.process.exitCode, 0) << last.process.err;
    EXPECT_EQ(last.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    expectExactlyOnce(db, reference, file);
}

TEST(IngestCrash, SigintStopsAtABatchBoundaryAndTheNextRunFinishes)
{
    TempDir dir;
    const std::string file = dir.path("big.ndjson");
    const std::string db = dir.path("store.db");
    generate(file, 60000, false);
    const ReferenceLog reference = readReferenceLog(file, vigil::PriceTable::builtin());

    VigilctlChild child({QStringLiteral("ingest"), QStringLiteral("--db"), q(db), QStringLiteral("--json"),
                         QStringLiteral("--batch"), QStringLiteral("1000"), q(file)});
    ASSERT_TRUE(child.started());
    ASSERT_TRUE(waitUntil([&] { return child.catchesSignal(SIGINT) || !child.running(); }, kWaitMs));
    // Some batches in, then stop.
    waitUntil([&] {
        try {
            return !child.running() || StoreProbe(db).requestCount() > 0;
        } catch (const std::exception &) {
            return false;
        }
    }, kWaitMs, 20);
    child.sendSignal(SIGINT);
    ASSERT_TRUE(child.waitForExit(kWaitMs));
    const ProcessResult stopped = child.result();
    EXPECT_FALSE(stopped.crashed);
    EXPECT_EQ(stopped.exitCode, 0) << stopped.err;
    const auto firstRecords = parseJsonObject(stopped.out).value(QStringLiteral("records")).toInteger();
    EXPECT_EQ(firstRecords, StoreProbe(db).requestCount()) << "the summary counts what was committed";

    const IngestRun rest = ingestFiles(db, {file});
    ASSERT_EQ(rest.process.exitCode, 0) << rest.process.err;
    EXPECT_EQ(rest.summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    EXPECT_EQ(firstRecords + rest.summary.value(QStringLiteral("records")).toInteger(),
              static_cast<qint64>(reference.records.size()));
    expectExactlyOnce(db, reference, file);
}
