// kill -9 of `vigilctl serve` under load: clients send batches and retry each
// one until it is acknowledged (as OTLP exporters and the documented NDJSON
// clients do); the server is killed several times mid-load and restarted on
// the same store. After each kill every acknowledged record is on disk, and
// at the end every record is there exactly once.
#include "raw_http.h"
#include "serve_process.h"
#include "store_probe.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

using namespace vigil::test;

namespace {

constexpr int kClients = 3;
constexpr int kBatchesPerClient = 60;
constexpr int kRecordsPerBatch = 400;
constexpr int kKills = 5;

std::string batchId(int client, int batch)
{
    return "c" + std::to_string(client) + "-b" + std::to_string(batch) + "-";
}

std::string batchBody(int client, int batch)
{
    std::string body;
    const std::string payload(200 + 37 * (batch % 11), 'y');
    for (int i = 0; i < kRecordsPerBatch; ++i) {
        std::string line = recordLine(batchId(client, batch) + std::to_string(i), 1795745584123 + batch * 1000 + i,
                                      1 + (client * 131 + batch * 17 + i) % 900);
        line.insert(line.size() - 1, ",\"output\":\"" + payload + "\"");
        body += line + "\n";
    }
    return body;
}

struct Progress
{
    std::mutex mutex;
    std::set<std::string> acknowledged; // batch ids
    std::atomic<int> done{0};
    std::atomic<int> retries{0};

    std::set<std::string> snapshot()
    {
        std::lock_guard lock(mutex);
        return acknowledged;
    }
};

// Every record of every batch in `batches` is stored; returns what is missing.
std::vector<std::string> missing(const std::set<std::string> &stored, const std::set<std::string> &batches)
{
    std::vector<std::string> out;
    for (const std::string &batch : batches) {
        for (int i = 0; i < kRecordsPerBatch; ++i) {
            if (!stored.count(batch + std::to_string(i)))
                out.push_back(batch + std::to_string(i));
        }
    }
    return out;
}

std::set<std::string> storedIds(const std::string &db)
{
    const auto ids = StoreProbe(db).requestIds();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "a request id is stored twice";
    return {ids.begin(), ids.end()};
}

} // namespace

TEST(ServeCrash, KillNineUnderRetryingLoadLosesNoAcknowledgedRecord)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    const QStringList args{QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet")};
    auto serve = std::make_unique<ServeProcess>(args, dir.path("serve.log"));
    ASSERT_TRUE(serve->waitUntilListening()) << serve->log();
    std::atomic<int> port{serve->port()};

    Progress progress;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            for (int b = 0; b < kBatchesPerClient; ++b) {
                const std::string body = batchBody(c, b);
                while (true) {
                    const int p = port.load();
                    if (p != 0) {
                        const auto r = httpPost(static_cast<std::uint16_t>(p), "/v1/requests", "application/x-ndjson", body);
                        if (r && r->status == 200) {
                            std::lock_guard lock(progress.mutex);
                            progress.acknowledged.insert(batchId(c, b));
                            break;
                        }
                        // No answer (killed mid-request), refused, or 5xx: retry the same batch.
                        ++progress.retries;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
            }
            ++progress.done;
        });
    }

    const int total = kClients * kBatchesPerClient;
    for (int kill = 0; kill < kKills; ++kill) {
        // Let the load run a while (the clients are mid-request most of the time).
        const std::size_t target = static_cast<std::size_t>(total * (kill + 1) / (kKills + 2));
        ASSERT_TRUE(waitUntil([&] { return progress.snapshot().size() >= target; }, 300000, 20))
            << "the load does not progress: " << serve->log();
        std::this_thread::sleep_for(std::chrono::milliseconds(37 * kill));
        port = 0;
        serve->kill();
        ASSERT_TRUE(serve->crashed() || serve->exitCode() != 0);

        // Everything acknowledged before the kill is on disk.
        const std::set<std::string> acknowledged = progress.snapshot();
        const auto lost = missing(storedIds(db), acknowledged);
        EXPECT_TRUE(lost.empty()) << "kill " << kill << ": " << lost.size() << " acknowledged records lost, e.g. "
                                  << lost.front();

        serve = std::make_unique<ServeProcess>(args, dir.path("serve.log"));
        ASSERT_TRUE(serve->waitUntilListening()) << serve->log();
        port = serve->port();
    }

    for (std::thread &t : clients)
        t.join();
    ASSERT_EQ(progress.done.load(), kClients);
    EXPECT_GT(progress.retries.load(), 0) << "no request was ever cut off: the kills hit nothing";

    serve->sendSignal(SIGTERM);
    ASSERT_TRUE(serve->waitForExit(60000));
    EXPECT_EQ(serve->exitCode(), 0) << serve->log();

    std::set<std::string> all;
    for (int c = 0; c < kClients; ++c)
        for (int b = 0; b < kBatchesPerClient; ++b)
            all.insert(batchId(c, b));
    const std::set<std::string> stored = storedIds(db);
    EXPECT_TRUE(missing(stored, all).empty()) << missing(stored, all).size() << " records missing";
    EXPECT_EQ(stored.size(), static_cast<std::size_t>(total * kRecordsPerBatch)) << "records stored that were never sent?";
    StoreProbe probe(db);
    EXPECT_EQ(probe.integrityCheck(), "ok");
    EXPECT_TRUE(probe.rollupMismatches().empty()) << describeProblems(probe.rollupMismatches());
    EXPECT_TRUE(probe.quarantine().empty());
}
