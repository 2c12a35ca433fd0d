// `vigilctl ingest --follow` as a child process, like tail -F: appends (also
// a line written in two pieces), rename-and-recreate rotation, copy-truncate,
// and SIGINT to stop with exit 0. At the end every record is stored once.
#include "integration_helpers.h"
#include "store_probe.h"
#include "vigilctl_child.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

using namespace vigil::test;

namespace {

constexpr int kWaitMs = 60000; // generous: the machine is shared

class Expected
{
public:
    std::string lines(const std::string &prefix, int from, int to)
    {
        std::string text;
        for (int i = from; i < to; ++i) {
            const std::string id = prefix + "-" + std::to_string(i);
            m_ids.insert(id);
            text += recordLine(id, 1795745584123 + static_cast<long long>(m_ids.size()) * 250, 50 + i) + "\n";
        }
        return text;
    }
    std::string add(const std::string &id)
    {
        m_ids.insert(id);
        return recordLine(id);
    }
    const std::set<std::string> &ids() const { return m_ids; }
    std::int64_t size() const { return static_cast<std::int64_t>(m_ids.size()); }

private:
    std::set<std::string> m_ids;
};

std::int64_t storedCount(const std::string &db)
{
    try {
        return StoreProbe(db).requestCount();
    } catch (const std::exception &) {
        return -1; // not created yet
    }
}

// Waits until the store holds `n` requests; fails with what it holds.
void expectStored(const std::string &db, std::int64_t n, const char *stage)
{
    const bool reached = waitUntil([&] { return storedCount(db) >= n; }, kWaitMs);
    EXPECT_TRUE(reached) << stage << ": " << storedCount(db) << " of " << n << " stored";
    // Nothing more than expected shows up either (no duplicates, no re-reads).
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(storedCount(db), n) << stage;
}

void sleepMs(int ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace

TEST(IngestFollow, AppendsRotationAndCopyTruncateAreEachStoredOnce)
{
    TempDir dir;
    const std::string file = dir.path("app.log");
    const std::string db = dir.path("store.db");
    Expected expected;
    writeFile(file, expected.lines("start", 0, 50));

    VigilctlChild child({QStringLiteral("ingest"), QStringLiteral("--follow"), QStringLiteral("--json"),
                         QStringLiteral("--db"), q(db), q(file)});
    ASSERT_TRUE(child.started());
    expectStored(db, expected.size(), "initial content");

    // Appends, one line written in two pieces with a pause between them.
    appendFile(file, expected.lines("append", 0, 30));
    const std::string split = expected.add("split");
    appendFile(file, split.substr(0, 25));
    sleepMs(700);
    appendFile(file, split.substr(25) + "\n");
    expectStored(db, expected.size(), "appends");

    // Rotation: rename, the writer finishes the old file, then a new file.
    const std::string rotated = dir.path("app.log.1");
    ASSERT_EQ(std::rename(file.c_str(), rotated.c_str()), 0);
    appendFile(rotated, expected.lines("old-rest", 0, 20));
    sleepMs(700); // the path is missing for a while: keep reading the old file
    appendFile(rotated, expected.lines("old-late", 0, 5));
    writeFile(file, expected.lines("new", 0, 40));
    expectStored(db, expected.size(), "rotation");
    appendFile(file, expected.lines("new", 40, 60));
    expectStored(db, expected.size(), "appends after rotation");

    // copy-truncate: a copy is made, the file is cut to zero and written again.
    std::filesystem::copy_file(file, dir.path("app.log.2"));
    writeFile(file, "");
    appendFile(file, expected.lines("after-truncate", 0, 25));
    expectStored(db, expected.size(), "copy-truncate");
    appendFile(file, expected.lines("after-truncate", 25, 40));
    expectStored(db, expected.size(), "appends after copy-truncate");
    // ... and again, this time written past the old size before we look.
    std::filesystem::copy_file(file, dir.path("app.log.3"));
    writeFile(file, expected.lines("rewritten", 0, 200));
    expectStored(db, expected.size(), "copy-truncate with a long rewrite");

    // A line still being written when we stop waits for the next run.
    const std::string pending = expected.add("pending");
    appendFile(file, pending.substr(0, 30));
    sleepMs(700);

    child.sendSignal(SIGINT);
    ASSERT_TRUE(child.waitForExit(kWaitMs)) << "vigilctl did not stop on SIGINT";
    const ProcessResult result = child.result();
    EXPECT_FALSE(result.crashed);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    const QJsonObject summary = parseJsonObject(result.out);
    EXPECT_EQ(summary.value(QStringLiteral("records")).toInteger(), expected.size() - 1);
    EXPECT_EQ(summary.value(QStringLiteral("duplicates")).toInteger(), 0);
    EXPECT_EQ(summary.value(QStringLiteral("quarantined")).toInteger(), 0);

    appendFile(file, pending.substr(30) + "\n");
    const IngestRun rest = ingestFiles(db, {file});
    ASSERT_EQ(rest.process.exitCode, 0) << rest.process.err;
    EXPECT_EQ(rest.summary.value(QStringLiteral("records")).toInteger(), 1);
    EXPECT_EQ(rest.summary.value(QStringLiteral("duplicates")).toInteger(), 0);

    StoreProbe probe(db);
    const auto ids = probe.requestIds();
    EXPECT_EQ(ids.size(), expected.ids().size());
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected.ids());
    EXPECT_TRUE(probe.quarantine().empty());
    const auto problems = probe.rollupMismatches();
    EXPECT_TRUE(problems.empty()) << describeProblems(problems);
}

TEST(IngestFollow, SeveralFilesAndAStopBeforeAnythingArrives)
{
    TempDir dir;
    const std::string a = dir.path("a.log");
    const std::string b = dir.path("b.log");
    const std::string db = dir.path("store.db");
    Expected expected;
    writeFile(a, "");
    writeFile(b, expected.lines("b", 0, 10));

    VigilctlChild child({QStringLiteral("ingest"), QStringLiteral("--follow"), QStringLiteral("--json"),
                         QStringLiteral("--db"), q(db), q(a), q(b)});
    ASSERT_TRUE(child.started());
    expectStored(db, expected.size(), "b's content");
    appendFile(a, expected.lines("a", 0, 15));
    appendFile(b, expected.lines("b", 10, 20));
    expectStored(db, expected.size(), "appends to both");

    child.sendSignal(SIGINT);
    ASSERT_TRUE(child.waitForExit(kWaitMs));
    const ProcessResult result = child.result();
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(parseJsonObject(result.out).value(QStringLiteral("records")).toInteger(), expected.size());

    // A follow that is stopped at once stops cleanly too.
    VigilctlChild idle({QStringLiteral("ingest"), QStringLiteral("--follow"), QStringLiteral("--json"),
                        QStringLiteral("--db"), q(db), q(a), q(b)});
    ASSERT_TRUE(idle.started());
    ASSERT_TRUE(waitUntil([&] { return idle.catchesSignal(SIGINT); }, kWaitMs));
    idle.sendSignal(SIGINT);
    ASSERT_TRUE(idle.waitForExit(kWaitMs));
    const ProcessResult idleResult = idle.result();
    EXPECT_EQ(idleResult.exitCode, 0) << idleResult.err;
    EXPECT_EQ(parseJsonObject(idleResult.out).value(QStringLiteral("records")).toInteger(), 0);
    EXPECT_EQ(StoreProbe(db).requestCount(), expected.size());
}
