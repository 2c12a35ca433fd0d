// The HTTP/1.1 layer under the endpoints, byte by byte over a raw socket:
// keep-alive, pipelining, chunked bodies, Expect: 100-continue, gzip and
// deflate, the body limit enforced while reading (a declared size, a
// chunked stream, an inflated body), corrupt compressed bodies, read and idle
// timeouts, malformed requests, and a refusal that reaches a client still
// sending its body.
#include "raw_http.h"
#include "serve_process.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace vigil::test;

namespace {

constexpr long long kTs = 1795745584123;

std::string ndjson(const std::string &prefix, int n, int payloadBytes = 0)
{
    std::string body;
    const std::string padding(static_cast<std::size_t>(payloadBytes), 'x');
    for (int i = 0; i < n; ++i) {
        std::string line = recordLine(prefix + std::to_string(i), kTs + i, 10 + i % 90);
        if (payloadBytes)
            line.insert(line.size() - 1, ",\"output\":\"" + padding + "\"");
        body += line + "\n";
    }
    return body;
}

qint64 accepted(const HttpResponse &r)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.body)).object().value(QStringLiteral("accepted")).toInteger(-1);
}

std::string post(const std::string &body, Headers headers = {{"Content-Type", "application/x-ndjson"}})
{
    return requestBytes("POST", "/v1/requests", headers, body);
}

class HttpProtocol : public ::testing::Test
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");
};

} // namespace

TEST_F(HttpProtocol, KeepAliveServesManyRequestsOnOneConnection)
{
    InProcessServer server(db);
    RawConnection c(server.port());
    ASSERT_TRUE(c.connected());
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(c.send(post(ndjson("ka" + std::to_string(i) + "-", 3))));
        const auto r = c.read();
        ASSERT_TRUE(r) << "request " << i;
        EXPECT_EQ(r->status, 200) << r->body;
        EXPECT_EQ(accepted(*r), 3);
        EXPECT_EQ(r->header("connection"), "keep-alive");
    }
    // HTTP/1.0 and Connection: close end the connection after the answer.
    ASSERT_TRUE(c.send(requestBytes("GET", "/healthz", {{"Connection", "close"}})));
    const auto last = c.read();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->status, 200);
    EXPECT_TRUE(last->closesConnection());
    EXPECT_TRUE(c.waitForClose(30000));
    EXPECT_EQ(StoreProbe(db).requestCount(), 15);

    RawConnection old(server.port());
    ASSERT_TRUE(old.send("GET /healthz HTTP/1.0\r\n\r\n"));
    const auto r10 = old.read();
    ASSERT_TRUE(r10);
    EXPECT_EQ(r10->status, 200);
    EXPECT_TRUE(old.waitForClose(30000));
}

TEST_F(HttpProtocol, PipelinedRequestsAreAnsweredInOrder)
{
    InProcessServer server(db);
    RawConnection c(server.port());
    // Three requests in one write; the second is a different endpoint, the
    // third arrives before the first is committed.
    ASSERT_TRUE(c.send(post(ndjson("p1-", 1)) + requestBytes("GET", "/healthz") + post(ndjson("p3-", 2)) +
                       requestBytes("GET", "/nowhere")));
    const auto first = c.read();
    const auto second = c.read();
    const auto third = c.read();
    const auto fourth = c.read();
    ASSERT_TRUE(first && second && third && fourth);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(accepted(*first), 1);
    EXPECT_EQ(second->status, 200);
    EXPECT_NE(second->body.find("queue_depth"), std::string::npos) << second->body;
    EXPECT_EQ(third->status, 200);
    EXPECT_EQ(accepted(*third), 2);
    EXPECT_EQ(fourth->status, 404);
    EXPECT_EQ(StoreProbe(db).requestCount(), 3);
}

TEST_F(HttpProtocol, RequestSplitIntoTinyWritesIsParsed)
{
    InProcessServer server(db);
    RawConnection c(server.port());
    const std::string bytes = post(ndjson("tiny-", 2));
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        ASSERT_TRUE(c.send(bytes.substr(i, 3)));
        if (i % 60 == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(accepted(*r), 2);
}

TEST_F(HttpProtocol, ChunkedBodiesPlainAndGzip)
{
    InProcessServer server(db);
    RawConnection c(server.port());
    const std::string body = ndjson("chunk-", 40);
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Transfer-Encoding", "chunked"}},
                                    chunked(body, 7))));
    const auto plain = c.read();
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 200) << plain->body;
    EXPECT_EQ(accepted(*plain), 40);

    // Chunks sent one by one with pauses, gzip inside.
    const std::string gz = gzipBytes(ndjson("chunkgz-", 500));
    const std::string wire = chunked(gz, 1000);
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Content-Encoding", "gzip"},
                                     {"Transfer-Encoding", "chunked"}})));
    for (std::size_t i = 0; i < wire.size(); i += 997) {
        ASSERT_TRUE(c.send(wire.substr(i, 997)));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const auto compressed = c.read();
    ASSERT_TRUE(compressed);
    EXPECT_EQ(compressed->status, 200) << compressed->body;
    EXPECT_EQ(accepted(*compressed), 500);
    EXPECT_EQ(StoreProbe(db).requestCount(), 540);
}

TEST_F(HttpProtocol, GzipAndDeflateBodies)
{
    InProcessServer server(db);
    // Large and highly compressible: each network read inflates to far more
    // than the decoder's buffer, and the last one too.
    const std::string big = ndjson("gz-", 3000, 300);
    ASSERT_GT(big.size(), 1u << 20);
    for (const char *encoding : {"gzip", "x-gzip", "GZIP"}) {
        const std::string prefix = std::string("gz-") + encoding + "-";
        const std::string body = ndjson(prefix, 3000, 300);
        const auto r = httpPost(server.port(), "/v1/requests", "application/x-ndjson", gzipBytes(body, 9),
                                {{"Content-Encoding", encoding}});
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << encoding << ": " << r->body;
        EXPECT_EQ(accepted(*r), 3000) << encoding;
    }
    const auto deflated = httpPost(server.port(), "/v1/requests", "application/x-ndjson",
                                   zlibBytes(ndjson("deflate-", 2000, 100)), {{"Content-Encoding", "deflate"}});
    ASSERT_TRUE(deflated);
    EXPECT_EQ(deflated->status, 200) << deflated->body;
    EXPECT_EQ(accepted(*deflated), 2000);

    // Two gzip members one after the other are one body.
    const std::string twoMembers = gzipBytes(ndjson("member1-", 3)) + gzipBytes(ndjson("member2-", 4));
    const auto concatenated = httpPost(server.port(), "/v1/requests", "application/x-ndjson", twoMembers,
                                       {{"Content-Encoding", "gzip"}});
    ASSERT_TRUE(concatenated);
    EXPECT_EQ(concatenated->status, 200) << concatenated->body;
    EXPECT_EQ(accepted(*concatenated), 7);
    EXPECT_EQ(StoreProbe(db).requestCount(), 3 * 3000 + 2000 + 7);
}

TEST_F(HttpProtocol, CorruptOrTruncatedGzipIs400AndStoresNothing)
{
    InProcessServer server(db);
    const std::string good = gzipBytes(ndjson("corrupt-", 200));
    std::string flipped = good;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
    for (const std::string &body : {std::string("this is not gzip at all"), good.substr(0, good.size() / 2),
                                    good.substr(0, good.size() - 4), flipped}) {
        const auto r = httpPost(server.port(), "/v1/requests", "application/x-ndjson", body,
                                {{"Content-Encoding", "gzip"}});
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 400) << r->body;
        EXPECT_NE(r->body.find("compressed"), std::string::npos) << r->body;
    }
    const auto brotli = httpPost(server.port(), "/v1/requests", "application/x-ndjson", "x",
                                 {{"Content-Encoding", "br"}});
    ASSERT_TRUE(brotli);
    EXPECT_EQ(brotli->status, 415) << brotli->body;
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
}

TEST_F(HttpProtocol, Expect100ContinueIsHonouredAndRefusedEarlyWhenTooBig)
{
    auto options = serverOptions(db);
    options.http.limits.maxBodyBytes = 1 << 20;
    options.http.limits.maxWireBodyBytes = 1 << 20;
    InProcessServer server(options);
    const std::string body = ndjson("continue-", 10);
    RawConnection c(server.port());
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Expect", "100-continue"},
                                     {"Content-Length", std::to_string(body.size())}})));
    const auto interim = c.read(30000);
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(c.send(body));
    const auto final = c.read();
    ASSERT_TRUE(final);
    EXPECT_EQ(final->status, 200) << final->body;
    EXPECT_EQ(accepted(*final), 10);

    // Too big: 413 instead of 100, and the body is never sent.
    RawConnection big(server.port());
    ASSERT_TRUE(big.send(requestBytes("POST", "/v1/requests",
                                      {{"Content-Type", "application/x-ndjson"}, {"Expect", "100-continue"},
                                       {"Content-Length", std::to_string(2 << 20)}})));
    const auto refused = big.read(30000);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 413) << refused->body;
    EXPECT_TRUE(big.waitForClose(30000));
}

TEST_F(HttpProtocol, DeclaredOversizedBodyIs413BeforeItIsSent)
{
    auto options = serverOptions(db);
    options.http.limits.maxBodyBytes = 256 << 10;
    options.http.limits.maxWireBodyBytes = 256 << 10;
    InProcessServer server(options);
    RawConnection c(server.port());
    // 10 GB announced; only the headers go out.
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Content-Length", "10000000000"}})));
    const auto r = c.read(30000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("limit"), std::string::npos) << r->body;
    EXPECT_TRUE(r->closesConnection());
    EXPECT_TRUE(c.waitForClose(30000));
}

TEST_F(HttpProtocol, ChunkedOrDecompressedBodyOverTheLimitIs413)
{
    auto options = serverOptions(db);
    options.http.limits.maxBodyBytes = 256 << 10;
    options.http.limits.maxWireBodyBytes = 256 << 10;
    InProcessServer server(options);
    const std::string big = ndjson("over-", 2000, 200); // ~ 600 KB
    ASSERT_GT(big.size(), 256u << 10);

    // The size is only known while reading: chunked.
    RawConnection c(server.port());
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Transfer-Encoding", "chunked"}})));
    const std::string wire = chunked(big, 16 << 10);
    std::optional<HttpResponse> r;
    std::thread sender([&] {
        for (std::size_t i = 0; i < wire.size(); i += 16 << 10) {
            if (!c.send(wire.substr(i, 16 << 10)))
                break;
        }
    });
    r = c.read(30000);
    sender.join();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413) << r->body;

    // Small on the wire, too big once inflated.
    const auto inflated = httpPost(server.port(), "/v1/requests", "application/x-ndjson", gzipBytes(big),
                                   {{"Content-Encoding", "gzip"}});
    ASSERT_TRUE(inflated);
    EXPECT_EQ(inflated->status, 413) << inflated->body;
    EXPECT_NE(inflated->body.find("decompressed"), std::string::npos) << inflated->body;
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);

    // Just under the limit is fine.
    const std::string fits = ndjson("fits-", 500, 200);
    ASSERT_LT(fits.size(), 256u << 10);
    const auto ok = httpPost(server.port(), "/v1/requests", "application/x-ndjson", gzipBytes(fits),
                             {{"Content-Encoding", "gzip"}});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(HttpProtocol, SlowSenderIsCutOffWith408)
{
    auto options = serverOptions(db);
    options.http.limits.requestTimeoutMs = 1500;
    InProcessServer server(options);

    // Stalls in the middle of the body.
    RawConnection stalled(server.port());
    const std::string body = ndjson("slow-", 5);
    ASSERT_TRUE(stalled.send(requestBytes("POST", "/v1/requests",
                                          {{"Content-Type", "application/x-ndjson"},
                                           {"Content-Length", std::to_string(body.size())}}) +
                             body.substr(0, body.size() / 2)));
    QElapsedTimer clock;
    clock.start();
    const auto r = stalled.read(60000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408) << r->body;
    EXPECT_TRUE(r->closesConnection());
    EXPECT_TRUE(stalled.waitForClose(30000));
    EXPECT_GE(clock.elapsed(), 1000) << "not before the timeout";

    // Trickles a byte at a time: the timeout covers the whole request, so
    // steady progress does not keep the connection alive forever.
    RawConnection trickle(server.port());
    const std::string headers = "POST /v1/requests HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'a');
    std::atomic<bool> cut{false};
    std::thread sender([&] {
        for (char ch : headers) {
            if (cut || !trickle.send(std::string(1, ch)))
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    const auto t = trickle.read(60000);
    cut = true;
    sender.join();
    ASSERT_TRUE(t);
    EXPECT_EQ(t->status, 408);
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
}

TEST_F(HttpProtocol, IdleKeepAliveConnectionIsClosed)
{
    auto options = serverOptions(db);
    options.http.limits.idleTimeoutMs = 1000;
    InProcessServer server(options);
    RawConnection silent(server.port());
    ASSERT_TRUE(silent.connected());
    EXPECT_TRUE(silent.waitForClose(60000));

    RawConnection afterOne(server.port());
    ASSERT_TRUE(afterOne.send(requestBytes("GET", "/healthz")));
    ASSERT_TRUE(afterOne.read());
    EXPECT_TRUE(afterOne.waitForClose(60000));
}

TEST_F(HttpProtocol, MalformedRequestsAre400AndClose)
{
    InProcessServer server(db);
    for (const std::string &garbage :
         {std::string("GARBAGE\r\n\r\n"), std::string("POST /v1/requests HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
          std::string("POST /v1/requests HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
          std::string("GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n")}) {
        RawConnection c(server.port());
        ASSERT_TRUE(c.send(garbage));
        const auto r = c.read(30000);
        ASSERT_TRUE(r) << garbage;
        EXPECT_EQ(r->status, 400) << garbage;
        EXPECT_TRUE(c.waitForClose(30000)) << garbage;
    }
    const auto health = httpRequest(server.port(), "GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
}

TEST_F(HttpProtocol, RefusalReachesAClientThatIsStillSending)
{
    // A client that sends its whole body without waiting (no Expect) must
    // still read the 413, not a connection reset: the server stops writing,
    // drains what keeps coming for a while, then closes. (A separate process,
    // so the timing is that of a real deployment.)
    ServeProcess server({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet"), QStringLiteral("--max-body"),
                         QStringLiteral("1048576")},
                        dir.path("serve.log"));
    ASSERT_TRUE(server.waitUntilListening()) << server.log();
    const std::string body(24 << 20, 'x');
    for (int round = 0; round < 10; ++round) {
        const bool chunkedBody = round % 2;
        RawConnection c(server.port());
        Headers headers{{"Content-Type", "application/x-ndjson"}};
        headers.emplace_back(chunkedBody ? "Transfer-Encoding" : "Content-Length",
                             chunkedBody ? std::string("chunked") : std::to_string(body.size()));
        ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests", headers)));
        std::thread sender([&] { c.send(chunkedBody ? chunked(body, 1 << 20) : body); });
        const auto r = c.read(60000);
        c.close();
        sender.join();
        ASSERT_TRUE(r) << "round " << round << ": the client never saw the answer";
        EXPECT_EQ(r->status, 413) << "round " << round;
    }

    // curl, the way scripts send files.
    writeFile(dir.path("big.ndjson"), body);
    for (int round = 0; round < 4; ++round) {
        QProcess curl;
        curl.start(QStringLiteral("curl"),
                   {QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                    QStringLiteral("%{http_code}"), QStringLiteral("-H"), QStringLiteral("Expect:"), QStringLiteral("-H"),
                    QStringLiteral("Content-Type: application/x-ndjson"), QStringLiteral("--data-binary"),
                    QStringLiteral("@") + QString::fromStdString(dir.path("big.ndjson")),
                    QStringLiteral("http://127.0.0.1:%1/v1/requests").arg(server.port())});
        ASSERT_TRUE(curl.waitForFinished(60000));
        EXPECT_EQ(curl.exitCode(), 0) << curl.readAllStandardError().toStdString();
        EXPECT_EQ(curl.readAllStandardOutput().toStdString(), "413");
    }
}
