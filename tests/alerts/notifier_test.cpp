// Each notifier against a real HTTP receiver on 127.0.0.1 that answers 202,
// 400, 429 with and without Retry-After, 500, and drops or stalls
// connections; the message formats and their limits; the command notifier.
#include "alert_fixture.h"
#include "http_receiver.h"
#include "test_support.h"

#include "alerts/dedup_key.h"
#include "alerts/outbox_dispatcher.h"
#include "alerts/pagerduty_event.h"
#include "alerts/signed_webhook.h"
#include "store/alert_store.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

const std::string kErrorRule = R"(
[alerts]
retry_base_delay = "200ms"
retry_max_delay = "2s"

[[alerts.rules]]
name = "errors"
type = "error_rate"
group_by = "tenant"
window = "5m"
threshold = 0.05
min_requests = 10
)";

// A store with one firing alert per tenant, its notifications in the
// outbox, and a dispatcher for them.
class Delivery
{
public:
    Delivery(const std::string &destinations, std::vector<std::string> tenants = {"acme"})
        : m_store(m_dir.path("store.db")), m_config(alertConfig(kErrorRule + destinations))
    {
        for (const std::string &tenant : tenants)
            m_store.add({.toMs = kT0 + 5 * kMinute, .tenant = tenant, .errorShare = 0.5});
        AlertEvaluator evaluator(evaluatorOptions(path(), m_config));
        EXPECT_GT(evaluator.evaluate(kT0 + 5 * kMinute).notificationsQueued, 0);
        evaluator.releaseLease();
        m_dispatcher = std::make_unique<OutboxDispatcher>(OutboxDispatcher::Options{path(), m_config, {}, 2000});
        QObject::connect(m_dispatcher.get(), &OutboxDispatcher::attemptFinished, m_dispatcher.get(),
                         [this](const QString &, const QString &, const QString &outcome, const QString &) {
                             m_outcomes.push_back(outcome.toStdString());
                         });
    }

    std::string path() const { return m_store.path(); }
    OutboxDispatcher &dispatcher() { return *m_dispatcher; }
    const std::vector<std::string> &outcomes() const { return m_outcomes; }
    // Pumps until `n` attempts finished (or the timeout).
    bool attempts(std::size_t n, int timeoutMs = 30000)
    {
        m_dispatcher->pump();
        return spinUntil([&] { return m_outcomes.size() >= n; }, timeoutMs);
    }
    std::vector<OutboxMessage> messages() { return outbox(path()); }
    AlertEvaluator::Result evaluateAt(std::int64_t ms)
    {
        AlertEvaluator evaluator(evaluatorOptions(path(), m_config));
        const auto r = evaluator.evaluate(ms);
        evaluator.releaseLease();
        return r;
    }

private:
    TempDir m_dir;
    SyntheticStore m_store;
    AlertConfig m_config;
    std::unique_ptr<OutboxDispatcher> m_dispatcher;
    std::vector<std::string> m_outcomes;
};

std::string pagerDuty(const HttpReceiver &receiver, const char *extra = "")
{
    qputenv("VIGIL_TEST_PD_KEY", "R0UTINGKEY0123456789abcdefABCDEF");
    return "\n[[alerts.destinations]]\nname = \"pd\"\ntype = \"pagerduty\"\nrouting_key = \"env:VIGIL_TEST_PD_KEY\"\n"
           "endpoint = \"" + receiver.url("/v2/enqueue").toStdString() + "\"\ntimeout = \"2s\"\n" + extra;
}

TEST(PagerDuty, TriggerAndResolveWithStableDedupKeyFiguresAndRunbookLink)
{
    HttpReceiver receiver;
    Delivery d(pagerDuty(receiver));
    ASSERT_TRUE(d.attempts(1));
    ASSERT_EQ(receiver.count(), 1u);
    const ReceivedRequest trigger = receiver.requests()[0];
    EXPECT_EQ(trigger.method, "POST");
    EXPECT_EQ(trigger.path, "/v2/enqueue");
    EXPECT_EQ(trigger.header("content-type"), "application/json");
    const QJsonObject event = trigger.json();
    EXPECT_EQ(event.value(QStringLiteral("routing_key")).toString(), QStringLiteral("R0UTINGKEY0123456789abcdefABCDEF"));
    EXPECT_EQ(event.value(QStringLiteral("event_action")).toString(), QStringLiteral("trigger"));
    EXPECT_EQ(event.value(QStringLiteral("dedup_key")).toString(), QStringLiteral("vigil/errors/tenant=acme"));
    const QJsonObject payload = event.value(QStringLiteral("payload")).toObject();
    EXPECT_EQ(payload.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
    EXPECT_TRUE(payload.value(QStringLiteral("summary")).toString().contains(QStringLiteral("error rate 50%")))
        << payload.value(QStringLiteral("summary")).toString().toStdString();
    EXPECT_EQ(payload.value(QStringLiteral("class")).toString(), QStringLiteral("error_rate"));
    const QJsonObject details = payload.value(QStringLiteral("custom_details")).toObject();
    EXPECT_EQ(details.value(QStringLiteral("threshold")).toDouble(), 0.05);
    EXPECT_EQ(details.value(QStringLiteral("requests")).toInt(), 300);
    EXPECT_EQ(details.value(QStringLiteral("matching")).toInt(), 150);
    const QJsonArray links = event.value(QStringLiteral("links")).toArray();
    ASSERT_EQ(links.size(), 1);
    EXPECT_TRUE(links[0].toObject().value(QStringLiteral("href")).toString().endsWith(QStringLiteral("runbooks/error_rate.md")));
    EXPECT_EQ(d.messages()[0].status, OutboxStatus::Delivered);

    // Traffic without errors: the alert resolves and PagerDuty hears it under the same key.
    d.evaluateAt(kT0 + 11 * kMinute);
    ASSERT_TRUE(d.attempts(2));
    const QJsonObject resolve = receiver.requests()[1].json();
    EXPECT_EQ(resolve.value(QStringLiteral("event_action")).toString(), QStringLiteral("resolve"));
    EXPECT_EQ(resolve.value(QStringLiteral("dedup_key")).toString(), QStringLiteral("vigil/errors/tenant=acme"));
}

TEST(PagerDuty, KeepsItsLimitsOnKeySummaryAndPayloadSize)
{
    const std::string longGroup = "tenant=" + std::string(400, 'x');
    const std::string key = alertDedupKey("prod", "errors", longGroup);
    EXPECT_EQ(key.size(), kMaxDedupKeyLength);
    EXPECT_EQ(key, alertDedupKey("prod", "errors", longGroup)) << "stable";
    EXPECT_NE(key, alertDedupKey("prod", "errors", longGroup + "y")) << "distinct groups keep distinct keys";

    Notification n;
    n.messageId = "m";
    n.event = "trigger";
    n.dedupKey = key;
    n.summary = std::string(5000, 's');
    QJsonObject huge;
    for (int i = 0; i < 60000; ++i)
        huge.insert(QStringLiteral("error_type_%1").arg(i), i);
    n.details = huge;
    const OutboundRequest r = pagerDutyRequest(n, QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("k"));
    EXPECT_LT(r.body.size(), kPagerDutyPayloadLimit);
    const QJsonObject payload = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("payload")).toObject();
    EXPECT_EQ(payload.value(QStringLiteral("summary")).toString().size(), kPagerDutySummaryLimit);
    EXPECT_TRUE(payload.value(QStringLiteral("custom_details")).toObject().contains(QStringLiteral("note")));
}

TEST(Delivery, A400IsRecordedWithItsBodyAndNeverRetried)
{
    HttpReceiver receiver;
    receiver.setFallback(Answer::respond(400, "{\"status\":\"invalid event\",\"errors\":[\"'routing_key' is invalid\"]}"));
    HttpReceiver other;
    qputenv("VIGIL_TEST_SLACK_URL", other.url("/hook"));
    Delivery d(pagerDuty(receiver) + "\n[[alerts.destinations]]\nname = \"slack\"\ntype = \"slack\"\n"
                                     "webhook_url = \"env:VIGIL_TEST_SLACK_URL\"\n");
    ASSERT_TRUE(d.attempts(2));
    spinUntil([] { return false; }, 1500); // time for a retry that must not happen
    EXPECT_EQ(receiver.count(), 1u);
    OutboxMessage refused;
    for (const OutboxMessage &m : d.messages())
        if (m.destination == "pd")
            refused = m;
    EXPECT_EQ(refused.status, OutboxStatus::Rejected);
    EXPECT_EQ(refused.lastHttpStatus, std::optional<int>(400));
    EXPECT_NE(refused.lastResponse.find("routing_key"), std::string::npos);

    // Surfaced as notification_failed, sent to the other destination.
    d.evaluateAt(kT0 + 6 * kMinute);
    ASSERT_TRUE(d.attempts(3));
    bool told = false;
    for (const ReceivedRequest &r : other.requests())
        told = told || r.body.contains("notification-failed");
    EXPECT_TRUE(told);
    EXPECT_EQ(receiver.count(), 1u) << "not to the destination that refuses";
}

TEST(Delivery, A429WithRetryAfterWaitsThatLong)
{
    HttpReceiver receiver;
    receiver.queue(Answer::respond(429).with("Retry-After", "2"));
    Delivery d(pagerDuty(receiver));
    ASSERT_TRUE(d.attempts(1));
    const OutboxMessage waiting = d.messages()[0];
    EXPECT_EQ(waiting.status, OutboxStatus::Pending);
    EXPECT_EQ(waiting.lastHttpStatus, std::optional<int>(429));
    EXPECT_GE(waiting.nextAttemptAtMs - *waiting.lastAttemptAtMs, 2000);
    ASSERT_TRUE(d.attempts(2));
    const auto all = receiver.requests();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_GE(all[1].atMs - all[0].atMs, 1900);
    EXPECT_EQ(d.messages()[0].status, OutboxStatus::Delivered);
}

TEST(Delivery, A429WithoutRetryAfterBacksOff)
{
    HttpReceiver receiver;
    receiver.queue(Answer::respond(429));
    Delivery d(pagerDuty(receiver));
    ASSERT_TRUE(d.attempts(2));
    EXPECT_EQ(receiver.count(), 2u);
    const OutboxMessage m = d.messages()[0];
    EXPECT_EQ(m.status, OutboxStatus::Delivered);
    EXPECT_EQ(m.attempts, 2);
}

TEST(Delivery, A500IsRetriedUntilItIsAccepted)
{
    HttpReceiver receiver;
    receiver.queue(Answer::respond(500));
    receiver.queue(Answer::respond(503));
    Delivery d(pagerDuty(receiver));
    ASSERT_TRUE(d.attempts(3));
    EXPECT_EQ(receiver.count(), 3u);
    EXPECT_EQ(d.outcomes(), (std::vector<std::string>{"retry", "retry", "delivered"}));
    EXPECT_EQ(d.messages()[0].attempts, 3);
    // Every attempt carried the same event: the receiver de-duplicates on it.
    for (const ReceivedRequest &r : receiver.requests())
        EXPECT_EQ(r.json().value(QStringLiteral("dedup_key")).toString(), QStringLiteral("vigil/errors/tenant=acme"));
}

TEST(Delivery, ADroppedConnectionIsRetried)
{
    HttpReceiver receiver;
    receiver.queue(Answer::drop());
    Delivery d(pagerDuty(receiver));
    // Either the dispatcher records a failed attempt and retries, or Qt's HTTP
    // client re-sends the request on a new connection by itself; either way
    // the event arrives once more, the same event, and is marked delivered.
    d.attempts(0); // starts the dispatcher
    ASSERT_TRUE(spinUntil([&] { return !d.messages().empty() && d.messages()[0].status == OutboxStatus::Delivered; },
                          30000))
        << "outcomes: " << d.outcomes().size() << ", requests received: " << receiver.count();
    const auto all = receiver.requests();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].answeredWith, 0) << "the first was dropped";
    EXPECT_EQ(all[1].json().value(QStringLiteral("dedup_key")), all[0].json().value(QStringLiteral("dedup_key")));
}

TEST(Delivery, AStalledConnectionTimesOutAndIsRetried)
{
    HttpReceiver receiver;
    receiver.queue(Answer::stall());
    Delivery d(pagerDuty(receiver)); // timeout = "2s"
    ASSERT_TRUE(d.attempts(2, 60000));
    EXPECT_EQ(d.outcomes()[0], "retry");
    const auto all = receiver.requests();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].answeredWith, 0);
    EXPECT_GE(all[1].atMs - all[0].atMs, 1900) << "it waited for the timeout";
    EXPECT_EQ(d.messages()[0].status, OutboxStatus::Delivered);
}

TEST(Slack, OneMessageASecondWithTheRunbookLink)
{
    HttpReceiver receiver;
    qputenv("VIGIL_TEST_SLACK_URL", receiver.url("/services/T0/B0/x"));
    Delivery d("\n[[alerts.destinations]]\nname = \"slack\"\ntype = \"slack\"\nwebhook_url = \"env:VIGIL_TEST_SLACK_URL\"\n",
               {"acme", "globex", "initech"});
    ASSERT_TRUE(d.attempts(3));
    const auto all = receiver.requests();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_GE(all[2].atMs - all[0].atMs, 1900) << "Slack's pace: one a second";
    const QString text = all[0].json().value(QStringLiteral("text")).toString();
    EXPECT_TRUE(text.contains(QStringLiteral("FIRING"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("runbooks/error_rate.md|error_rate.md>"))) << text.toStdString();
    EXPECT_EQ(all[0].path, "/services/T0/B0/x");
}

TEST(Webhook, SignedWithHmacSha256AndAStableDeliveryId)
{
    HttpReceiver receiver;
    qputenv("VIGIL_TEST_HOOK_URL", receiver.url("/vigil"));
    qputenv("VIGIL_TEST_HOOK_KEY", "s3cret-signing-key");
    receiver.queue(Answer::respond(502));
    Delivery d("\n[[alerts.destinations]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"env:VIGIL_TEST_HOOK_URL\"\n"
               "signing_key = \"env:VIGIL_TEST_HOOK_KEY\"\n");
    ASSERT_TRUE(d.attempts(2));
    const auto all = receiver.requests();
    ASSERT_EQ(all.size(), 2u);
    for (const ReceivedRequest &r : all) {
        const QByteArray expected = webhookSignature("s3cret-signing-key", r.header("x-vigil-timestamp"), r.body);
        EXPECT_EQ(r.header("x-vigil-signature"), expected);
        EXPECT_NE(webhookSignature("another-key", r.header("x-vigil-timestamp"), r.body), expected);
        EXPECT_EQ(r.header("x-vigil-event"), "trigger");
        EXPECT_EQ(r.json().value(QStringLiteral("dedup_key")).toString(), QStringLiteral("vigil/errors/tenant=acme"));
    }
    EXPECT_EQ(all[0].header("x-vigil-delivery"), all[1].header("x-vigil-delivery")) << "a retry is the same delivery";
    EXPECT_FALSE(all[0].header("x-vigil-delivery").isEmpty());
}

TEST(Command, RunsWithTheEventOnStdinAndHonoursItsExitCode)
{
    TempDir dir;
    const std::string received = dir.path("received.json");
    const std::string script = dir.path("notify.sh");
    // Exit 75 (try again later) the first time, 0 after.
    writeFile(script, "#!/bin/sh\nif [ ! -f " + dir.path("once") + " ]; then touch " + dir.path("once") +
                          "; exit 75; fi\ncat > " + received + "\necho \"$VIGIL_EVENT $VIGIL_DEDUP_KEY\" >> " +
                          dir.path("env.txt") + "\n");
    Delivery d("\n[[alerts.destinations]]\nname = \"cmd\"\ntype = \"command\"\ncommand = [\"/bin/sh\", \"" + script + "\"]\n");
    ASSERT_TRUE(d.attempts(2));
    EXPECT_EQ(d.outcomes(), (std::vector<std::string>{"retry", "delivered"}));
    const QJsonObject event = QJsonDocument::fromJson(QByteArray::fromStdString(readFile(received))).object();
    EXPECT_EQ(event.value(QStringLiteral("dedup_key")).toString(), QStringLiteral("vigil/errors/tenant=acme"));
    EXPECT_EQ(readFile(dir.path("env.txt")), "trigger vigil/errors/tenant=acme\n");
}

TEST(Command, AFailingCommandIsRefusedNotRetried)
{
    Delivery d("\n[[alerts.destinations]]\nname = \"cmd\"\ntype = \"command\"\ncommand = [\"/bin/sh\", \"-c\", \"echo nope >&2; exit 3\"]\n");
    ASSERT_TRUE(d.attempts(1));
    spinUntil([] { return false; }, 800);
    EXPECT_EQ(d.outcomes(), (std::vector<std::string>{"rejected"}));
    const OutboxMessage m = d.messages()[0];
    EXPECT_EQ(m.status, OutboxStatus::Rejected);
    EXPECT_NE(m.lastResponse.find("nope"), std::string::npos);
}

} // namespace
} // namespace vigil::test
