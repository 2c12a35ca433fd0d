// Bearer tokens and the loopback rule: the gate itself with request values
// (a peer that is not on this machine cannot be made over 127.0.0.1), then
// the whole matrix over real sockets: missing, wrong and right tokens,
// tenant-bound tokens on both ingest endpoints, and a token file edited
// while the server runs.
#include "otlp_builder.h"
#include "raw_http.h"
#include "stored_records.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include "server/router.h"
#include "server/token_store.h"

#include <QFile>

#include <gtest/gtest.h>

#include <thread>

using namespace vigil::test;
using vigil::TokenEntry;
using vigil::TokenStore;
namespace http = vigil::http;

namespace {

constexpr long long kTs = 1795745584123;
const std::string kSecret = "s3cret-token-for-the-checkout-service";
const std::string kAcmeSecret = "acme-only-token-0123456789";

// The endpoint behind the gate, for the gate's own tests: says who came through.
class Echo final : public http::RequestHandler
{
public:
    void handle(http::Request request, http::Responder respond) override
    {
        ++calls;
        lastToken = request.tokenName;
        lastTenant = request.boundTenant;
        respond(http::Response::text(200, "through"));
    }
    int calls = 0;
    QString lastToken;
    std::optional<QString> lastTenant;
};

struct Gate
{
    Echo echo;
    http::Router router;
    TokenStore tokens;
    http::AuthGate gate{router, tokens};

    explicit Gate(std::vector<TokenEntry> configured) : tokens(std::move(configured), QString())
    {
        router.add("POST", "/v1/requests", echo);
        router.add("GET", "/healthz", echo);
    }

    int status(const char *peer, const char *path = "/v1/requests", const QByteArray &authorization = {})
    {
        http::Request request;
        request.method = QByteArray(path) == "/healthz" ? "GET" : "POST";
        request.path = path;
        request.peer = QHostAddress(QString::fromLatin1(peer));
        if (!authorization.isEmpty())
            request.headers.emplace_back("authorization", authorization);
        int status = 0;
        gate.handle(std::move(request), [&status](http::Response r) { status = r.status; });
        return status;
    }
};

std::string bearer(const std::string &secret)
{
    return "Bearer " + secret;
}

std::optional<HttpResponse> postRecords(std::uint16_t port, const std::string &body, const std::string &token = {})
{
    Headers headers;
    if (!token.empty())
        headers.emplace_back("Authorization", bearer(token));
    return httpPost(port, "/v1/requests", "application/x-ndjson", body, headers);
}

std::string recordWithoutTenant(const std::string &id)
{
    return R"({"ts":1795745584123,"request_id":")" + id + R"(","model":"gpt-4o-mini","latency_ms":12,"outcome":"ok"})";
}

TokenEntry entry(const std::string &name, const std::string &secret, std::optional<QString> tenant = {})
{
    return {QString::fromStdString(name), TokenStore::hash(QByteArray::fromStdString(secret)), std::move(tenant)};
}

} // namespace

TEST(AuthGate, WithoutTokensOnlyLoopbackPeersAreServed)
{
    Gate g({});
    EXPECT_EQ(g.status("127.0.0.1"), 200);
    EXPECT_EQ(g.status("127.9.8.7"), 200);
    EXPECT_EQ(g.status("::1"), 200);
    EXPECT_EQ(g.status("::ffff:127.0.0.1"), 200) << "IPv4 loopback seen through a dual-stack socket";
    EXPECT_EQ(g.status("192.0.2.10"), 403);
    EXPECT_EQ(g.status("10.0.0.1"), 403);
    EXPECT_EQ(g.status("2001:db8::1"), 403);
    EXPECT_EQ(g.status("::ffff:192.0.2.10"), 403);
    EXPECT_EQ(g.echo.calls, 4);
    // Health checks come from load balancers: always open.
    EXPECT_EQ(g.status("192.0.2.10", "/healthz"), 200);
}

TEST(AuthGate, WithTokensEveryPeerNeedsOne)
{
    Gate g({entry("checkout", kSecret), entry("acme", kAcmeSecret, QStringLiteral("acme"))});
    EXPECT_EQ(g.status("192.0.2.10"), 401);
    EXPECT_EQ(g.status("127.0.0.1"), 401) << "loopback is no exception once tokens exist";
    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", "Bearer wrong-token-wrong-token"), 401);
    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", "Basic dXNlcjpwYXNz"), 401);
    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", "Bearer"), 401);
    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", QByteArray::fromStdString(bearer(kSecret) + "x")), 401);
    EXPECT_EQ(g.echo.calls, 0);

    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", QByteArray::fromStdString(bearer(kSecret))), 200);
    EXPECT_EQ(g.echo.lastToken, QStringLiteral("checkout"));
    EXPECT_FALSE(g.echo.lastTenant);
    EXPECT_EQ(g.status("192.0.2.10", "/v1/requests", QByteArray::fromStdString("bearer " + kAcmeSecret)), 200);
    EXPECT_EQ(g.echo.lastToken, QStringLiteral("acme"));
    EXPECT_EQ(g.echo.lastTenant, QStringLiteral("acme"));
    EXPECT_EQ(g.status("192.0.2.10", "/healthz"), 200);
}

class AuthOverHttp : public ::testing::Test
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");
};

TEST_F(AuthOverHttp, TokenMatrix)
{
    auto options = serverOptions(db);
    options.tokens = {entry("checkout", kSecret)};
    InProcessServer server(options);

    const auto missing = postRecords(server.port(), recordLine("m-1") + "\n");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(missing->header("www-authenticate"), "Bearer realm=\"vigil\"");
    const auto wrong = postRecords(server.port(), recordLine("m-2") + "\n", "not-the-token-at-all");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_NE(wrong->body.find("not valid"), std::string::npos) << wrong->body;
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);

    const auto right = postRecords(server.port(), recordLine("m-3") + "\n", kSecret);
    ASSERT_TRUE(right);
    EXPECT_EQ(right->status, 200) << right->body;
    EXPECT_EQ(StoreProbe(db).requestCount(), 1);

    // Metrics need the token too; health does not.
    const auto metrics = httpRequest(server.port(), "GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ(metrics->status, 401);
    const auto health = httpRequest(server.port(), "GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
}

TEST_F(AuthOverHttp, TenantBoundTokenOnRequests)
{
    auto options = serverOptions(db);
    options.tokens = {entry("acme", kAcmeSecret, QStringLiteral("acme")), entry("any", kSecret)};
    InProcessServer server(options);

    // Another tenant's record: 403 for the whole body, nothing stored.
    const auto foreign = postRecords(server.port(),
                                     recordLine("t-1", kTs, 10, "acme") + "\n" + recordLine("t-2", kTs, 10, "globex") + "\n",
                                     kAcmeSecret);
    ASSERT_TRUE(foreign);
    EXPECT_EQ(foreign->status, 403);
    EXPECT_NE(foreign->body.find("globex"), std::string::npos) << foreign->body;
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);

    // Missing tenant: filled from the token. The bound tenant itself: fine.
    const auto filled = postRecords(server.port(), recordWithoutTenant("t-3") + "\n" + recordLine("t-4", kTs, 10, "acme") + "\n",
                                    kAcmeSecret);
    ASSERT_TRUE(filled);
    EXPECT_EQ(filled->status, 200) << filled->body;
    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.at("t-3").tenant, "acme");
    EXPECT_EQ(stored.at("t-4").tenant, "acme");

    // An unbound token may send any tenant, but a record without one is still bad input.
    const auto unbound = postRecords(server.port(), recordLine("t-5", kTs, 10, "globex") + "\n" + recordWithoutTenant("t-6") + "\n",
                                     kSecret);
    ASSERT_TRUE(unbound);
    EXPECT_EQ(unbound->status, 200) << unbound->body;
    EXPECT_NE(unbound->body.find("tenant"), std::string::npos) << unbound->body;
    EXPECT_EQ(storedRecords(db).at("t-5").tenant, "globex");
    EXPECT_EQ(storedRecords(db).count("t-6"), 0u);
}

TEST_F(AuthOverHttp, TenantBoundTokenOnTraces)
{
    auto options = serverOptions(db);
    options.tokens = {entry("acme", kAcmeSecret, QStringLiteral("acme"))};
    InProcessServer server(options);
    const Headers auth{{"Authorization", bearer(kAcmeSecret)}};

    otlp::Export foreign;
    foreign.resourceAttributes.push_back({"tenant.id", "globex"});
    foreign.spans = {otlp::span("00000000000a0001", kTs, 5, {{"gen_ai.request.model", "gpt-4o"}})};
    const auto refused = httpPost(server.port(), "/v1/traces", "application/x-protobuf", otlp::toProtobuf(foreign), auth);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("globex"), std::string::npos);
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);

    otlp::Export own;
    own.spans = {otlp::span("00000000000a0002", kTs, 5, {{"gen_ai.request.model", "gpt-4o"}}),
                 otlp::span("00000000000a0003", kTs, 5, {{"gen_ai.request.model", "gpt-4o"}, {"tenant.id", "acme"}})};
    const auto accepted = httpPost(server.port(), "/v1/traces", "application/json", otlp::toJson(own), auth);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted->status, 200) << accepted->body;
    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.at("00000000000a0002").tenant, "acme");
    EXPECT_EQ(stored.at("00000000000a0003").tenant, "acme");

    const auto anonymous = httpPost(server.port(), "/v1/traces", "application/json", otlp::toJson(own));
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);
}

TEST_F(AuthOverHttp, TokenFileIsReloadedWithoutRestart)
{
    const std::string tokenFile = dir.path("tokens.toml");
    const std::string first = "first-token-0123456789abcdef";
    const std::string second = "second-token-0123456789abcdef";
    writeFile(tokenFile, "[[token]]\nname = \"first\"\nsha256 = \"" +
                             TokenStore::hash(QByteArray::fromStdString(first)).toHex().toStdString() + "\"\n");
    auto options = serverOptions(db);
    options.tokenFile = QString::fromStdString(tokenFile);
    InProcessServer server(options);

    int n = 0;
    auto status = [&](const std::string &token) {
        const auto r = postRecords(server.port(), recordLine("reload-" + std::to_string(n++)) + "\n", token);
        return r ? r->status : 0;
    };
    EXPECT_EQ(status(first), 200);
    EXPECT_EQ(status(second), 401);

    // Replace the file: the second token works, the first no longer does.
    writeFile(tokenFile, "[[token]]\nname = \"second\"\ntoken = \"" + second + "\"\ntenant = \"acme\"\n");
    EXPECT_TRUE(waitUntil([&] { return status(second) == 200; }, 30000, 200)) << "the edit was not picked up";
    EXPECT_EQ(status(first), 401);

    // A broken edit keeps the last good tokens.
    writeFile(tokenFile, "[[token]\nname = oops\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_EQ(status(second), 200);

    // `vigilctl token add` appends to the file; the running server accepts the new token.
    writeFile(tokenFile, "[[token]]\nname = \"first\"\ntoken = \"" + first + "\"\n");
    const ProcessResult added = runVigilctl({QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("ci-job"),
                                             QStringLiteral("--token-file"), QString::fromStdString(tokenFile),
                                             QStringLiteral("--tenant"), QStringLiteral("acme")});
    ASSERT_EQ(added.exitCode, 0) << added.err;
    const std::string secret = QString::fromStdString(added.out).trimmed().toStdString();
    ASSERT_GE(secret.size(), 32u);
    EXPECT_EQ(readFile(tokenFile).find(secret), std::string::npos) << "only the hash is written";
    EXPECT_NE(readFile(tokenFile).find(TokenStore::hash(QByteArray::fromStdString(secret)).toHex().toStdString()),
              std::string::npos);
    EXPECT_TRUE(waitUntil([&] { return status(secret) == 200; }, 30000, 200));
    EXPECT_EQ(status(second), 401);

    // A token file `vigilctl token add` creates is private to its owner.
    const std::string fresh = dir.path("fresh-tokens.toml");
    ASSERT_EQ(runVigilctl({QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--token-file"),
                           QString::fromStdString(fresh)})
                  .exitCode,
              0);
    EXPECT_EQ(QFile::permissions(QString::fromStdString(fresh)) &
                  (QFile::ReadOther | QFile::ReadGroup | QFile::WriteOther | QFile::WriteGroup),
              QFile::Permissions())
        << "token file not private";
}

TEST(TokenHash, VigilctlTokenHashMatchesTheStore)
{
    QProcess p;
    p.start(vigilctlPath(), {QStringLiteral("token"), QStringLiteral("hash")});
    ASSERT_TRUE(p.waitForStarted());
    p.write(QByteArray::fromStdString(kSecret) + "\n");
    p.closeWriteChannel();
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 0);
    EXPECT_EQ(p.readAllStandardOutput().trimmed(), TokenStore::hash(QByteArray::fromStdString(kSecret)).toHex());
}
