// `vigilctl serve` as a child process: clean shutdown on SIGTERM and SIGINT
// after answering what is in flight, the exit codes of the CLI contract
// (port in use 3, a public address without tokens 2, bad options 2), the
// access log (one line per request, never a token or a body) and the
// command-line limits.
#include "raw_http.h"
#include "serve_process.h"
#include "store_probe.h"
#include "test_support.h"

#include <QTcpServer>

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <thread>

using namespace vigil::test;

namespace {

constexpr long long kTs = 1795745584123;

QStringList serveArgs(const TempDir &dir, QStringList extra = {})
{
    return QStringList{QStringLiteral("--db"), QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0")} +
           extra;
}

std::string records(const std::string &prefix, int n)
{
    std::string body;
    for (int i = 0; i < n; ++i)
        body += recordLine(prefix + std::to_string(i), kTs + i, 5 + i % 50) + "\n";
    return body;
}

class ServeSignals : public ::testing::TestWithParam<int>
{
};

} // namespace

INSTANTIATE_TEST_SUITE_P(Signals, ServeSignals, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto &info) { return info.param == SIGTERM ? std::string("Sigterm") : std::string("Sigint"); });

TEST_P(ServeSignals, AnswersTheRequestsInFlightThenExits0)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    ServeProcess serve(serveArgs(dir), dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const std::uint16_t port = serve.port();
    ASSERT_EQ(httpPost(port, "/v1/requests", "application/x-ndjson", records("warm-", 1))->status, 200);

    // Hold the store's write lock so the next request is certainly still in
    // flight when the signal arrives.
    auto holder = std::make_unique<StoreProbe>(db);
    holder->database().exec("BEGIN IMMEDIATE");
    auto inFlight = std::async(std::launch::async, [port] {
        return httpPost(port, "/v1/requests", "application/x-ndjson", records("flight-", 200));
    });
    RawConnection idle(port); // an idle keep-alive connection
    ASSERT_TRUE(idle.send(requestBytes("GET", "/healthz")));
    ASSERT_TRUE(idle.read());
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));

    serve.sendSignal(GetParam());
    EXPECT_TRUE(idle.waitForClose(30000)) << "idle connections are closed at once";
    EXPECT_TRUE(waitUntil([&] { return !RawConnection(port).connected(); }, 30000)) << "still accepting";
    EXPECT_TRUE(serve.running()) << "exited before answering the request in flight";

    holder->database().exec("ROLLBACK");
    holder.reset();
    const auto answer = inFlight.get();
    ASSERT_TRUE(answer) << serve.log();
    EXPECT_EQ(answer->status, 200) << answer->body;
    ASSERT_TRUE(serve.waitForExit(60000));
    EXPECT_FALSE(serve.crashed());
    EXPECT_EQ(serve.exitCode(), 0) << serve.log();
    EXPECT_NE(serve.log().find("stopping"), std::string::npos) << serve.log();
    EXPECT_NE(serve.log().find("stopped"), std::string::npos) << serve.log();
    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), 201);
    EXPECT_EQ(probe.integrityCheck(), "ok");
}

TEST(ServeProcess, PortInUseIsExit3)
{
    TempDir dir;
    QTcpServer occupant;
    ASSERT_TRUE(occupant.listen(QHostAddress::LocalHost, 0));
    ServeProcess serve({QStringLiteral("--db"), QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort())},
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitForExit(60000));
    EXPECT_EQ(serve.exitCode(), 3) << serve.log();
    EXPECT_NE(serve.log().find(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(occupant.serverPort()).toStdString()),
              std::string::npos)
        << serve.log();
}

TEST(ServeProcess, PublicAddressWithoutTokensRefusesToStart)
{
    TempDir dir;
    ServeProcess open({QStringLiteral("--db"), QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"),
                       QStringLiteral("0.0.0.0:0")},
                      dir.path("open.log"));
    ASSERT_TRUE(open.waitForExit(60000));
    EXPECT_EQ(open.exitCode(), 2) << open.log();
    EXPECT_NE(open.log().find("without any token"), std::string::npos) << open.log();

    // With a token it starts, and says nothing about loopback-only.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_TOKEN"), QStringLiteral("a-long-enough-secret-token-value"));
    ServeProcess guarded({QStringLiteral("--db"), QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"),
                          QStringLiteral("0.0.0.0:0")},
                         dir.path("guarded.log"), {}, env);
    ASSERT_TRUE(guarded.waitUntilListening()) << guarded.log();
    EXPECT_EQ(guarded.log().find("loopback"), std::string::npos) << guarded.log();
    const auto anonymous = httpPost(guarded.port(), "/v1/requests", "application/x-ndjson", records("x", 1));
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);
    const auto withToken = httpPost(guarded.port(), "/v1/requests", "application/x-ndjson", records("x", 1),
                                    {{"Authorization", "Bearer a-long-enough-secret-token-value"}});
    ASSERT_TRUE(withToken);
    EXPECT_EQ(withToken->status, 200);
    guarded.sendSignal(SIGTERM);
    ASSERT_TRUE(guarded.waitForExit(60000));
    EXPECT_EQ(guarded.exitCode(), 0);
}

TEST(ServeProcess, LoopbackWithoutTokensSaysSo)
{
    TempDir dir;
    ServeProcess serve(serveArgs(dir), dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    EXPECT_NE(serve.log().find("no tokens configured: serving clients on this machine (loopback) only"), std::string::npos)
        << serve.log();
}

TEST(ServeProcess, AccessLogHasOneLinePerRequestAndNoSecrets)
{
    TempDir dir;
    const std::string token = "the-secret-token-must-not-be-logged";
    const std::string tokenFile = dir.path("tokens.toml");
    writeFile(tokenFile, "[[token]]\nname = \"svc\"\ntoken = \"" + token + "\"\ntenant = \"acme\"\n");
    ServeProcess serve(serveArgs(dir, {QStringLiteral("--token-file"), QString::fromStdString(tokenFile)}),
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const std::string marker = "BODY-MARKER-7f3a";
    std::string line = recordLine("logged-1");
    line.insert(line.size() - 1, ",\"output\":\"" + marker + "\"");
    ASSERT_EQ(httpPost(serve.port(), "/v1/requests", "application/x-ndjson", line + "\n", {{"Authorization", "Bearer " + token}})
                  ->status,
              200);
    ASSERT_EQ(httpRequest(serve.port(), "GET", "/nope")->status, 401);
    serve.sendSignal(SIGTERM);
    ASSERT_TRUE(serve.waitForExit(60000));
    const std::string log = serve.log();
    EXPECT_EQ(log.find(token), std::string::npos) << log;
    EXPECT_EQ(log.find(marker), std::string::npos) << log;
    int requestLines = 0;
    std::size_t pos = 0;
    while ((pos = log.find(" peer=127.0.0.1", pos)) != std::string::npos) {
        ++requestLines;
        ++pos;
    }
    EXPECT_EQ(requestLines, 2) << log;
    EXPECT_NE(log.find(" POST /v1/requests 200 "), std::string::npos) << log;
    EXPECT_NE(log.find("tenant=acme"), std::string::npos) << log;
    EXPECT_NE(log.find(" GET /nope 401 "), std::string::npos) << log;
}

TEST(ServeProcess, CommandLineLimitsApply)
{
    TempDir dir;
    ServeProcess serve(serveArgs(dir, {QStringLiteral("--max-body"), QStringLiteral("4096"), QStringLiteral("--read-timeout"),
                                       QStringLiteral("1"), QStringLiteral("--quiet")}),
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const auto big = httpPost(serve.port(), "/v1/requests", "application/x-ndjson", records("big-", 100));
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    const auto small = httpPost(serve.port(), "/v1/requests", "application/x-ndjson", records("small-", 2));
    ASSERT_TRUE(small);
    EXPECT_EQ(small->status, 200);

    RawConnection slow(serve.port());
    ASSERT_TRUE(slow.send("POST /v1/requests HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
    const auto cut = slow.read(30000);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->status, 408);
    EXPECT_EQ(serve.log().find("POST"), std::string::npos) << "--quiet: no access log";
}

TEST(ServeProcess, BadOptionsAreExit2)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    for (const QStringList &args :
         {QStringList{QStringLiteral("--listen"), QStringLiteral("not-an-address")},
          QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:99999")},
          QStringList{QStringLiteral("--max-body"), QStringLiteral("12")},
          QStringList{QStringLiteral("--read-timeout"), QStringLiteral("0")},
          QStringList{QStringLiteral("--token-file"), QString::fromStdString(dir.path("missing.toml"))}}) {
        const ProcessResult r = runVigilctl(QStringList{QStringLiteral("serve"), QStringLiteral("--db"),
                                                        QString::fromStdString(db)} +
                                            args);
        EXPECT_EQ(r.exitCode, 2) << args.join(QLatin1Char(' ')).toStdString() << "\n" << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    writeFile(dir.path("broken.toml"), "[[token]]\nname = \"x\"\n");
    const ProcessResult broken = runVigilctl({QStringLiteral("serve"), QStringLiteral("--db"), QString::fromStdString(db),
                                              QStringLiteral("--token-file"), QString::fromStdString(dir.path("broken.toml"))});
    EXPECT_EQ(broken.exitCode, 2) << broken.err;
    EXPECT_NE(broken.err.find("broken.toml:1"), std::string::npos) << broken.err;
}

TEST(ServeProcess, ShutdownWithBatchesOfClientsThatLeftCommitsThemCleanly)
{
    // Two batches wait for the store (one in the writer, one queued); their
    // clients give up and disconnect; then SIGTERM. Nothing is in flight on
    // any connection, so the server stops at once, but the batches it took
    // are still committed on the way out, without touching freed state.
    TempDir dir;
    const std::string db = dir.path("store.db");
    ServeProcess serve(serveArgs(dir), dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const std::uint16_t port = serve.port();
    auto holder = std::make_unique<StoreProbe>(db);
    holder->database().exec("BEGIN IMMEDIATE");
    {
        RawConnection first(port);
        ASSERT_TRUE(first.send(requestBytes("POST", "/v1/requests", {{"Content-Type", "application/x-ndjson"}},
                                            records("left-a-", 10))));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        RawConnection second(port);
        ASSERT_TRUE(second.send(requestBytes("POST", "/v1/requests", {{"Content-Type", "application/x-ndjson"}},
                                             records("left-b-", 10))));
        ASSERT_TRUE(waitUntil(
            [&] {
                const auto h = httpRequest(port, "GET", "/healthz");
                return h && h->body.find("\"queue_depth\":2") != std::string::npos; // in the writer + queued
            },
            8000, 50));
    } // both clients disconnect
    serve.sendSignal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    holder->database().exec("ROLLBACK");
    holder.reset();
    ASSERT_TRUE(serve.waitForExit(60000));
    EXPECT_FALSE(serve.crashed()) << serve.log();
    EXPECT_EQ(serve.exitCode(), 0) << serve.log();
    EXPECT_EQ(StoreProbe(db).requestCount(), 20) << "what the server took is committed on the way out";
}
