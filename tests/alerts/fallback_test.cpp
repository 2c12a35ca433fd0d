// When a destination, the network, the keychain or the store fails: what
// docs/FALLBACK.md promises, each case here.
#include "alert_fixture.h"
#include "http_receiver.h"
#include "test_support.h"

#include "alerts/outbox_dispatcher.h"
#include "alerts/secret_resolver.h"
#include "store/alert_store.h"
#include "store/sqlite_handle.h"
#include "store/store_error.h"

#include <QTcpServer>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace vigil::test {
namespace {

const std::string kRule = R"(
[alerts]
retry_base_delay = "200ms"
retry_max_delay = "1s"
notification_failed_after = "1m"

[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)";

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

struct Fixture
{
    TempDir dir;
    SyntheticStore store{dir.path("store.db")};
    AlertConfig config;
    std::unique_ptr<OutboxDispatcher> dispatcher;
    std::vector<std::string> outcomes;

    explicit Fixture(const std::string &destinations, int keychainTimeoutMs = 2000)
        : config(alertConfig(kRule + destinations))
    {
        store.add({.toMs = kT0 + 5 * kMinute, .errorShare = 0.5});
        evaluate(kT0 + 5 * kMinute);
        dispatcher = std::make_unique<OutboxDispatcher>(OutboxDispatcher::Options{store.path(), config, {}, keychainTimeoutMs});
        QObject::connect(dispatcher.get(), &OutboxDispatcher::attemptFinished, dispatcher.get(),
                         [this](const QString &d, const QString &, const QString &outcome, const QString &) {
                             outcomes.push_back(d.toStdString() + ":" + outcome.toStdString());
                         });
    }
    void evaluate(std::int64_t at)
    {
        AlertEvaluator evaluator(evaluatorOptions(store.path(), config));
        ASSERT_TRUE(evaluator.evaluate(at).leaseHeld);
        evaluator.releaseLease();
    }
    OutboxMessage message(const std::string &destination, const std::string &key = "vigil/errors")
    {
        for (const OutboxMessage &m : outbox(store.path()))
            if (m.destination == destination && m.dedupKey == key)
                return m;
        return {};
    }
    bool waitFor(const std::string &outcome, int timeoutMs = 30000)
    {
        dispatcher->pump();
        return spinUntil([&] { return std::find(outcomes.begin(), outcomes.end(), outcome) != outcomes.end(); }, timeoutMs);
    }
};

std::string pagerDutyAt(const std::string &endpoint, const char *timeout = "2s")
{
    qputenv("VIGIL_TEST_PD_KEY", "R0UTINGKEY");
    return std::string("\n[[alerts.destinations]]\nname = \"pd\"\ntype = \"pagerduty\"\nrouting_key = \"env:VIGIL_TEST_PD_KEY\"\n") +
           "endpoint = \"" + endpoint + "\"\ntimeout = \"" + timeout + "\"\n";
}

std::string slackAt(const HttpReceiver &receiver)
{
    qputenv("VIGIL_TEST_SLACK_URL", receiver.url("/hook"));
    return "\n[[alerts.destinations]]\nname = \"slack\"\ntype = \"slack\"\nwebhook_url = \"env:VIGIL_TEST_SLACK_URL\"\n";
}

TEST(Fallback, ConnectionRefusedIsRetriedAndAfterAWhileEveryOtherDestinationIsTold)
{
    HttpReceiver slack;
    Fixture f(pagerDutyAt("http://127.0.0.1:" + std::to_string(closedPort()) + "/v2/enqueue") + slackAt(slack));
    ASSERT_TRUE(f.waitFor("pd:retry"));
    const OutboxMessage waiting = f.message("pd");
    EXPECT_EQ(waiting.status, OutboxStatus::Pending);
    EXPECT_FALSE(waiting.lastHttpStatus.has_value());
    EXPECT_NE(waiting.lastError.find("refused"), std::string::npos) << waiting.lastError;
    // The Slack copy of the alert went out meanwhile.
    EXPECT_TRUE(spinUntil([&] { return slack.count() >= 1; }, 10000));

    f.evaluate(currentTimeMs() + 2 * kMinute); // past notification_failed_after
    ASSERT_TRUE(spinUntil([&] {
        for (const ReceivedRequest &r : slack.requests())
            if (r.body.contains("notification-failed") && r.body.contains("refused"))
                return true;
        return false;
    }, 30000));
}

// A destination behind a pulled cable or a dropped route: the connection
// attempt gets no answer at all. Made here with a real listening socket whose
// accept queue is full: the kernel drops further SYNs, so a connect hangs
// exactly as towards an unroutable address (an address like 10.255.255.1 is
// no good in a test: a transparent proxy may answer for it).
class BlackHole final
{
public:
    BlackHole()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr *>(&a), sizeof a);
        ::listen(m_listener, 0);
        socklen_t len = sizeof a;
        ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&a), &len);
        m_port = ntohs(a.sin_port);
        // Fill the accept queue (never accepted): later SYNs are dropped.
        for (int i = 0; i < 4; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
            m_fillers.push_back(fd);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ~BlackHole()
    {
        for (int fd : m_fillers)
            ::close(fd);
        ::close(m_listener);
    }
    BlackHole(const BlackHole &) = delete;
    BlackHole &operator=(const BlackHole &) = delete;
    int port() const { return m_port; }

private:
    int m_listener = -1;
    int m_port = 0;
    std::vector<int> m_fillers;
};

TEST(Fallback, AnUnroutableAddressTimesOutAndIsRetried)
{
    BlackHole hole;
    Fixture f(pagerDutyAt("http://127.0.0.1:" + std::to_string(hole.port()) + "/v2/enqueue", "1s"));
    ASSERT_TRUE(f.waitFor("pd:retry", 20000));
    const OutboxMessage m = f.message("pd");
    EXPECT_EQ(m.status, OutboxStatus::Pending);
    EXPECT_GE(m.attempts, 1);
    EXPECT_FALSE(m.lastError.empty());
    EXPECT_FALSE(m.lastHttpStatus.has_value());
    AlertOutbox box(f.store.path(), AlertOutbox::Access::ReadOnly);
    const auto health = box.destinations();
    ASSERT_EQ(health.size(), 1u);
    EXPECT_TRUE(health[0].failingSinceMs.has_value());
}

TEST(Fallback, AMissingEnvironmentSecretIsAFailedAttemptNotACrash)
{
    HttpReceiver receiver;
    qunsetenv("VIGIL_TEST_NOT_SET");
    Fixture f("\n[[alerts.destinations]]\nname = \"slack\"\ntype = \"slack\"\nwebhook_url = \"env:VIGIL_TEST_NOT_SET\"\n");
    ASSERT_TRUE(f.waitFor("slack:retry"));
    const OutboxMessage m = f.message("slack");
    EXPECT_EQ(m.status, OutboxStatus::Pending);
    EXPECT_NE(m.lastError.find("VIGIL_TEST_NOT_SET is not set"), std::string::npos) << m.lastError;
}

TEST(Fallback, AKeychainWithoutASecretServiceFailsWithinItsTimeoutAndTheEnvironmentStillWorks)
{
    // No session bus and no display: the keychain cannot be reached.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/vigil-test-bus");
    qunsetenv("DISPLAY");
    qunsetenv("VIGIL_SECRET_VIGIL_TEST_MISSING");
    SecretResolver resolver;
    resolver.setKeychainTimeoutMs(3000);
    std::optional<QByteArray> value;
    QString error;
    bool answered = false;
    resolver.resolve("keychain:vigil-test-missing", [&](std::optional<QByteArray> v, QString e) {
        value = std::move(v);
        error = std::move(e);
        answered = true;
    });
    ASSERT_TRUE(spinUntil([&] { return answered; }, 15000)) << "the lookup never blocks for long";
    EXPECT_FALSE(value.has_value());
    EXPECT_TRUE(error.contains(QStringLiteral("VIGIL_SECRET_VIGIL_TEST_MISSING"))) << error.toStdString();

    // Environment first: the same reference resolves from VIGIL_SECRET_<ENTRY>.
    qputenv("VIGIL_SECRET_VIGIL_TEST_MISSING", "from-the-environment");
    answered = false;
    resolver.resolve("keychain:vigil-test-missing", [&](std::optional<QByteArray> v, QString) {
        value = std::move(v);
        answered = true;
    });
    ASSERT_TRUE(answered) << "answered at once";
    EXPECT_EQ(value, std::optional<QByteArray>("from-the-environment"));
}

TEST(Fallback, AKeychainDestinationThatCannotBeReadIsRetriedAndDeliveredOnceTheSecretIsThere)
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/vigil-test-bus");
    qunsetenv("DISPLAY");
    qunsetenv("VIGIL_SECRET_VIGIL_TEST_SLACK");
    HttpReceiver receiver;
    Fixture f("\n[[alerts.destinations]]\nname = \"slack\"\ntype = \"slack\"\nwebhook_url = \"keychain:vigil-test-slack\"\n");
    ASSERT_TRUE(f.waitFor("slack:retry"));
    EXPECT_NE(f.message("slack").lastError.find("secret unavailable"), std::string::npos) << f.message("slack").lastError;
    qputenv("VIGIL_SECRET_VIGIL_TEST_SLACK", receiver.url("/hook"));
    ASSERT_TRUE(f.waitFor("slack:delivered"));
    EXPECT_EQ(receiver.count(), 1u);
}

TEST(Fallback, AStoreLockedDuringEvaluationWritesNothingAndTheNextEvaluationPagesOnce)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    store.add({.toMs = kT0 + 10 * kMinute, .errorShare = 0.5});
    const AlertConfig config = alertConfig(kRule + pagerDutyAt("http://127.0.0.1:9/"));
    AlertEvaluator evaluator(evaluatorOptions(store.path(), config));
    ASSERT_TRUE(evaluator.evaluate(kT0 - 10 * kMinute).leaseHeld); // before the traffic: the lease is ours
    ASSERT_TRUE(outbox(store.path()).empty());
    {
        // Another process holds the write lock past the busy timeout.
        sql::Database other(store.path(), SQLITE_OPEN_READWRITE);
        other.exec("BEGIN IMMEDIATE");
        EXPECT_THROW(evaluator.evaluate(kT0 + 5 * kMinute), StoreError);
        other.exec("ROLLBACK");
    }
    EXPECT_TRUE(outbox(store.path()).empty()) << "an evaluation is written whole or not at all";
    ASSERT_TRUE(evaluator.evaluate(kT0 + 6 * kMinute).leaseHeld);
    EXPECT_EQ(outboxEvents(store.path(), "trigger").size(), 1u);
}

} // namespace
} // namespace vigil::test
