// Overload and store failure: a full write queue is answered 429, a store
// that cannot commit (locked by another process past the busy timeout, or a
// full disk) 503, both with Retry-After; a refused request stores nothing,
// not even its quarantined lines, and an acknowledged one is never lost.
#include "otlp_builder.h"
#include "raw_http.h"
#include "serve_process.h"
#include "stored_records.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <future>
#include <set>
#include <sys/resource.h>

using namespace vigil::test;
namespace otlp = vigil::test::otlp;

namespace {

constexpr long long kTs = 1795745584123;

std::string batch(const std::string &prefix, int n, int payloadBytes = 0)
{
    std::string body;
    const std::string payload(static_cast<std::size_t>(payloadBytes), 'p');
    for (int i = 0; i < n; ++i) {
        std::string line = recordLine(prefix + std::to_string(i), kTs + i, 1 + i % 500);
        if (payloadBytes) {
            // Different text per record, so compression inside SQLite pages does not help.
            line.insert(line.size() - 1, ",\"output\":\"" + std::to_string(i * 7919) + payload + "\"");
        }
        body += line + "\n";
    }
    return body;
}

std::future<std::optional<HttpResponse>> postAsync(std::uint16_t port, std::string body)
{
    return std::async(std::launch::async, [port, body = std::move(body)] {
        return httpPost(port, "/v1/requests", "application/x-ndjson", body);
    });
}

QJsonObject healthOf(std::uint16_t port, int &status)
{
    const auto r = httpRequest(port, "GET", "/healthz");
    status = r ? r->status : 0;
    return r ? QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object() : QJsonObject();
}

std::set<std::string> idsWithPrefix(const std::string &db, const std::string &prefix)
{
    std::set<std::string> out;
    for (const std::string &id : StoreProbe(db).requestIds()) {
        if (id.rfind(prefix, 0) == 0)
            out.insert(id);
    }
    return out;
}

} // namespace

TEST(Backpressure, FullQueueIs429AndLockedStoreIs503WithNothingStoredHalf)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    auto options = serverOptions(db);
    options.queueBatches = 1;
    InProcessServer server(options);
    const std::uint16_t port = server.port();

    // Another process's connection holds the write lock longer than the
    // store's busy timeout (10 s).
    auto holder = std::make_unique<StoreProbe>(db);
    holder->database().exec("BEGIN IMMEDIATE");

    // A (with one bad line, to be quarantined in the same transaction) waits
    // for the lock in the writer; B waits in the queue; the queue is full.
    auto a = postAsync(port, batch("A-", 20) + "{bad line\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    auto b = postAsync(port, batch("B-", 20));
    int status = 0;
    // queue_depth counts the batch in the writer too: A there, B waiting.
    ASSERT_TRUE(waitUntil([&] { return healthOf(port, status).value(QStringLiteral("queue_depth")).toInt() == 2; }, 8000, 50))
        << "B never queued";

    const auto c = httpPost(port, "/v1/requests", "application/x-ndjson", batch("C-", 5));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, 429) << c->body;
    EXPECT_EQ(c->header("retry-after"), "1");
    otlp::Export spans;
    spans.spans = {otlp::span("00000000000c0001", kTs, 5, {{"gen_ai.request.model", "gpt-4o"}})};
    const auto d = httpPost(port, "/v1/traces", "application/x-protobuf", otlp::toProtobuf(spans));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->status, 429);
    EXPECT_FALSE(d->header("retry-after").empty());
    EXPECT_EQ(d->body.substr(0, 2), std::string("\x08\x08", 2)) << "google.rpc.Status RESOURCE_EXHAUSTED";

    // A fails when the busy timeout runs out: 503, Retry-After, nothing of it stored.
    const auto aResponse = a.get();
    ASSERT_TRUE(aResponse);
    EXPECT_EQ(aResponse->status, 503) << aResponse->body;
    EXPECT_FALSE(aResponse->header("retry-after").empty());
    EXPECT_NE(aResponse->body.find("locked"), std::string::npos) << aResponse->body;
    const QJsonObject degraded = healthOf(port, status);
    EXPECT_EQ(status, 503);
    EXPECT_EQ(degraded.value(QStringLiteral("status")).toString(), QStringLiteral("degraded"));
    EXPECT_FALSE(degraded.value(QStringLiteral("last_error")).toString().isEmpty());

    // The other process lets go: B commits, the server is healthy again.
    holder->database().exec("ROLLBACK");
    holder.reset();
    const auto bResponse = b.get();
    ASSERT_TRUE(bResponse);
    EXPECT_EQ(bResponse->status, 200) << bResponse->body;
    healthOf(port, status);
    EXPECT_EQ(status, 200);

    EXPECT_TRUE(idsWithPrefix(db, "A-").empty()) << "a refused request stored part of itself";
    EXPECT_TRUE(idsWithPrefix(db, "C-").empty());
    EXPECT_EQ(idsWithPrefix(db, "B-").size(), 20u);
    EXPECT_TRUE(StoreProbe(db).quarantine().empty()) << "A's bad line was quarantined though A was refused";

    // The clients retry as told: everything stored exactly once.
    for (const std::string &body : {batch("A-", 20) + "{bad line\n", batch("C-", 5)}) {
        const auto retry = httpPost(port, "/v1/requests", "application/x-ndjson", body);
        ASSERT_TRUE(retry);
        EXPECT_EQ(retry->status, 200) << retry->body;
    }
    const auto dRetry = httpPost(port, "/v1/traces", "application/x-protobuf", otlp::toProtobuf(spans));
    ASSERT_TRUE(dRetry);
    EXPECT_EQ(dRetry->status, 200);
    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), 46);
    EXPECT_EQ(probe.quarantine().size(), 1u);
    EXPECT_TRUE(probe.rollupMismatches().empty()) << describeProblems(probe.rollupMismatches());
}

TEST(Backpressure, FullDiskIs503AndAcknowledgedRecordsSurvive)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    {
        // Create the store first, so the limit only bites on growth.
        ServeProcess create({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet")},
                            dir.path("create.log"));
        ASSERT_TRUE(create.waitUntilListening()) << create.log();
        create.sendSignal(SIGTERM);
        ASSERT_TRUE(create.waitForExit(60000));
    }
    const auto limit = static_cast<rlim_t>(std::filesystem::file_size(db)) + (4u << 20);
    ServeProcess serve({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet")},
                       dir.path("serve.log"), [limit] {
                           const rlimit fsize{limit, limit};
                           ::setrlimit(RLIMIT_FSIZE, &fsize);
                           ::signal(SIGXFSZ, SIG_IGN);
                       });
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();

    // ~1 MB per request: a few fit, then the disk is "full".
    std::vector<int> acknowledged, refused;
    std::string refusal;
    for (int i = 0; i < 40 && refused.size() < 3; ++i) {
        const auto r = httpPost(serve.port(), "/v1/requests", "application/x-ndjson",
                                batch("disk" + std::to_string(i) + "-", 500, 2000));
        ASSERT_TRUE(r) << "no answer; the server died? " << serve.log();
        if (r->status == 200) {
            acknowledged.push_back(i);
        } else {
            EXPECT_EQ(r->status, 503) << r->body;
            EXPECT_FALSE(r->header("retry-after").empty());
            refusal = r->body;
            refused.push_back(i);
        }
    }
    ASSERT_FALSE(acknowledged.empty()) << "nothing fitted under the limit";
    ASSERT_FALSE(refused.empty()) << "the limit was never reached";
    EXPECT_NE(refusal.find("full"), std::string::npos) << "the reason names the full disk: " << refusal;
    EXPECT_TRUE(serve.running()) << "a full disk must not end the server: " << serve.log();
    int status = 0;
    const QJsonObject health = healthOf(serve.port(), status);
    EXPECT_EQ(status, 503);
    EXPECT_FALSE(health.value(QStringLiteral("store_writable")).toBool(true));

    // Everything acknowledged is on disk, nothing of what was refused.
    for (int i : acknowledged)
        EXPECT_EQ(idsWithPrefix(db, "disk" + std::to_string(i) + "-").size(), 500u) << "acknowledged batch " << i;
    for (int i : refused)
        EXPECT_TRUE(idsWithPrefix(db, "disk" + std::to_string(i) + "-").empty()) << "refused batch " << i;

    serve.sendSignal(SIGTERM);
    ASSERT_TRUE(serve.waitForExit(60000));
    EXPECT_FALSE(serve.crashed()) << serve.log();

    // Room again: the refused batches are sent again and stored once.
    ServeProcess again({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet")},
                       dir.path("again.log"));
    ASSERT_TRUE(again.waitUntilListening()) << again.log();
    for (int i : refused) {
        const auto r = httpPost(again.port(), "/v1/requests", "application/x-ndjson",
                                batch("disk" + std::to_string(i) + "-", 500, 2000));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << r->body;
    }
    again.sendSignal(SIGTERM);
    ASSERT_TRUE(again.waitForExit(60000));
    StoreProbe probe(db);
    EXPECT_EQ(probe.integrityCheck(), "ok");
    EXPECT_EQ(probe.requestCount(), static_cast<std::int64_t>(500 * (acknowledged.size() + refused.size())));
    EXPECT_TRUE(probe.rollupMismatches().empty()) << describeProblems(probe.rollupMismatches());
}
