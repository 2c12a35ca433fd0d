// GET /v1/budget/{tenant} over a real socket, served by the real serve stack.
#include "alert_fixture.h"
#include "test_support.h"

#include "alerts/alert_board.h"
#include "server/budget_endpoint.h"
#include "server/ingest_server.h"
#include "server/token_store.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QThread>

#include <gtest/gtest.h>

#include <future>

namespace vigil::test {
namespace {

struct HttpAnswer
{
    int status = 0;
    QJsonObject json;
};

// One blocking GET on a fresh connection.
HttpAnswer get(quint16 port, const QByteArray &path, const QByteArray &token = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    EXPECT_TRUE(socket.waitForConnected(10000));
    QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    socket.write(request + "\r\n");
    QByteArray response;
    while (socket.waitForReadyRead(30000))
        response += socket.readAll();
    response += socket.readAll();
    HttpAnswer a;
    a.status = response.mid(9, 3).toInt();
    a.json = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
    return a;
}

// The serve stack on its own thread, port chosen by the system.
class Server
{
public:
    Server(const std::string &storePath, const AlertSetup &setup, std::vector<TokenEntry> tokens = {})
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        std::promise<quint16> port;
        QMetaObject::invokeMethod(&m_context, [&] {
            IngestServer::Options o;
            o.storePath = storePath;
            o.http.port = 0;
            o.tokens = std::move(tokens);
            o.alerts = setup;
            m_server = std::make_unique<IngestServer>(std::move(o));
            QString error;
            m_server->listen(error);
            port.set_value(m_server->port());
        }, Qt::QueuedConnection);
        m_port = port.get_future().get();
    }
    ~Server()
    {
        QMetaObject::invokeMethod(&m_context, [this] { m_server.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<IngestServer> m_server;
    quint16 m_port = 0;
};

std::string caps(const std::string &zone = "UTC")
{
    return "[costs]\ntime_zone = \"" + zone + "\"\n" + R"(
warn_share = 0.8
daily_cap_usd = 1000
daily_reviewed_on = 2026-11-01
tenant_default_cap_usd = 5
tenant_default_reviewed_on = 2026-11-01
[costs.tenants.acme]
cap_usd = 50
reviewed_on = 2026-11-01
)";
}

TEST(BudgetEndpoint, AnswersSpendCapRemainingAndAllowOverARealSocket)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    const std::int64_t now = currentTimeMs();
    // The traffic of the last minutes must fall in "today": just after
    // midnight UTC the caps count in a zone whose day began long ago.
    const bool justAfterMidnight = now % 86'400'000LL < 3'600'000LL;
    const std::string zone = justAfterMidnight ? "Etc/GMT+12" : "UTC";
    const std::int64_t from = now - 12 * kMinute;
    // acme: $0.60 a minute for 10 minutes; globex: over its default cap of $5.
    store.add({.fromMs = from, .toMs = from + 10 * kMinute, .perMinute = 60, .tenant = "acme", .costUsd = 0.01});
    store.add({.fromMs = from, .toMs = from + 10 * kMinute, .perMinute = 60, .tenant = "globex", .costUsd = 0.01});
    store.close();
    const AlertSetup setup = alertSetup(caps(zone));
    Server server(store.path(), setup);

    const HttpAnswer acme = get(server.port(), "/v1/budget/acme");
    ASSERT_EQ(acme.status, 200);
    EXPECT_EQ(acme.json.value(QStringLiteral("tenant")).toString(), QStringLiteral("acme"));
    EXPECT_DOUBLE_EQ(acme.json.value(QStringLiteral("spent_today_usd")).toDouble(), 6.0);
    EXPECT_DOUBLE_EQ(acme.json.value(QStringLiteral("cap_usd")).toDouble(), 50.0);
    EXPECT_DOUBLE_EQ(acme.json.value(QStringLiteral("remaining_usd")).toDouble(), 44.0);
    EXPECT_TRUE(acme.json.value(QStringLiteral("allow")).toBool());

    const HttpAnswer globex = get(server.port(), "/v1/budget/globex");
    ASSERT_EQ(globex.status, 200);
    EXPECT_DOUBLE_EQ(globex.json.value(QStringLiteral("cap_usd")).toDouble(), 5.0) << "the default cap";
    EXPECT_DOUBLE_EQ(globex.json.value(QStringLiteral("remaining_usd")).toDouble(), 0.0);
    EXPECT_FALSE(globex.json.value(QStringLiteral("allow")).toBool());
    EXPECT_EQ(globex.json.value(QStringLiteral("reason")).toString(), QStringLiteral("tenant cap reached"));

    const HttpAnswer nobody = get(server.port(), "/v1/budget/new-tenant");
    EXPECT_DOUBLE_EQ(nobody.json.value(QStringLiteral("spent_today_usd")).toDouble(), 0.0);
    EXPECT_TRUE(nobody.json.value(QStringLiteral("allow")).toBool());

    // A cap raised on the Costs page applies to the next answer.
    AlertBoard board(store.path(), setup);
    board.setCap(CapScope::Tenant, "globex", 100, costDate(now, costTimeZone(zone)), "contract", currentActor(), now);
    const HttpAnswer raised = get(server.port(), "/v1/budget/globex");
    EXPECT_DOUBLE_EQ(raised.json.value(QStringLiteral("cap_usd")).toDouble(), 100.0);
    EXPECT_TRUE(raised.json.value(QStringLiteral("allow")).toBool());

    EXPECT_EQ(get(server.port(), "/v1/budget/").status, 404);
}

TEST(BudgetEndpoint, WithoutAnyCapEverythingIsAllowed)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    store.close();
    Server server(store.path(), alertSetup("[costs]\ntime_zone = \"UTC\"\n"));
    const HttpAnswer a = get(server.port(), "/v1/budget/acme");
    ASSERT_EQ(a.status, 200);
    EXPECT_TRUE(a.json.value(QStringLiteral("cap_usd")).isNull());
    EXPECT_TRUE(a.json.value(QStringLiteral("remaining_usd")).isNull());
    EXPECT_TRUE(a.json.value(QStringLiteral("allow")).toBool());
}

TEST(BudgetEndpoint, ATokenBoundToATenantMayOnlyAskAboutThatTenant)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    store.close();
    std::vector<TokenEntry> tokens{{QStringLiteral("acme-service"), TokenStore::hash("acme-secret"), QStringLiteral("acme")}};
    Server server(store.path(), alertSetup(caps()), tokens);
    EXPECT_EQ(get(server.port(), "/v1/budget/acme", "acme-secret").status, 200);
    EXPECT_EQ(get(server.port(), "/v1/budget/globex", "acme-secret").status, 403);
    EXPECT_EQ(get(server.port(), "/v1/budget/acme").status, 401);
}

TEST(BudgetEndpoint, AStoreThatCannotBeReadAnswers503)
{
    TempDir dir;
    BudgetEndpoint endpoint({dir.path("missing.db"), alertConfig(caps()).costs, "test.toml"});
    http::Request request;
    request.method = "GET";
    request.path = "/v1/budget/acme";
    std::promise<http::Response> answer;
    endpoint.handle(request, [&answer](http::Response r) { answer.set_value(std::move(r)); });
    const http::Response r = answer.get_future().get();
    EXPECT_EQ(r.status, 503);
    EXPECT_TRUE(r.body.contains("cannot read the store"));
}

} // namespace
} // namespace vigil::test
