// Every rule type on synthetic traffic in a real store: pending -> firing ->
// resolved, `for` and keep_firing_for, flapping, exactly one trigger and one
// resolve per episode, silences, acknowledgements, the lease and restarts.
#include "alert_fixture.h"
#include "test_support.h"

#include "alerts/alert_board.h"
#include "store/alert_store.h"
#include "store/prompt_activation_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace vigil::test {
namespace {

// Destinations for the rules below: two webhooks (nothing is delivered in
// these tests; the outbox rows are what is checked).
const std::string kDestinations = R"(
[[alerts.destinations]]
name = "a"
type = "webhook"
url = "env:VIGIL_TEST_UNUSED_URL"
signing_key = "env:VIGIL_TEST_UNUSED_KEY"

[[alerts.destinations]]
name = "b"
type = "webhook"
url = "env:VIGIL_TEST_UNUSED_URL"
signing_key = "env:VIGIL_TEST_UNUSED_KEY"
)";

class Harness
{
public:
    explicit Harness(const std::string &toml)
        : m_store(m_dir.path("store.db")), m_config(alertConfig(toml + kDestinations))
    {
        m_evaluator = std::make_unique<AlertEvaluator>(evaluatorOptions(path(), m_config));
    }

    const std::string path() const { return m_store.path(); }
    SyntheticStore &store() { return m_store; }
    AlertEvaluator &evaluator() { return *m_evaluator; }
    const AlertConfig &config() const { return m_config; }

    AlertEvaluator::Result at(std::int64_t ms)
    {
        const auto r = m_evaluator->evaluate(ms);
        EXPECT_TRUE(r.leaseHeld);
        EXPECT_TRUE(r.ruleErrors.empty()) << r.ruleErrors.front();
        return r;
    }
    AlertPhase phase(const std::string &key)
    {
        AlertStore s(path(), AlertStore::Access::ReadOnly);
        const auto state = s.state(key);
        return state ? state->phase : AlertPhase::Inactive;
    }
    AlertState state(const std::string &key)
    {
        AlertStore s(path(), AlertStore::Access::ReadOnly);
        return s.state(key).value_or(AlertState());
    }
    // Triggers and resolves of `key` in the outbox for destination "a".
    int count(const std::string &event, const std::string &key)
    {
        int n = 0;
        for (const OutboxMessage &m : outboxEvents(path(), event, key))
            n += m.destination == "a";
        return n;
    }
    void restart()
    {
        m_evaluator->releaseLease();
        m_evaluator = std::make_unique<AlertEvaluator>(evaluatorOptions(path(), m_config));
    }

private:
    TempDir m_dir;
    SyntheticStore m_store;
    AlertConfig m_config;
    std::unique_ptr<AlertEvaluator> m_evaluator;
};

TEST(Evaluator, ErrorRateGroupedByProviderHonoursForAndKeepFiringFor)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
group_by = "provider"
window = "5m"
threshold = 0.05
for = "3m"
keep_firing_for = "5m"
min_requests = 10
)");
    h.store().add({.fromMs = kT0, .toMs = kT0 + 30 * kMinute, .provider = "openai"});
    h.store().add({.fromMs = kT0, .toMs = kT0 + 30 * kMinute, .model = "claude", .provider = "anthropic", .errorShare = 0.2});
    h.store().add({.fromMs = kT0 + 30 * kMinute, .toMs = kT0 + 60 * kMinute, .model = "claude", .provider = "anthropic"});
    const std::string key = "vigil/errors/provider=anthropic";

    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Pending);
    h.at(kT0 + 7 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Pending) << "2 of the 3 minutes of `for`";
    EXPECT_EQ(h.count("trigger", key), 0);
    h.at(kT0 + 8 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Firing);
    EXPECT_EQ(h.count("trigger", key), 1);
    EXPECT_EQ(h.phase("vigil/errors/provider=openai"), AlertPhase::Inactive);

    const AlertState firing = h.state(key);
    EXPECT_NEAR(firing.value, 0.2, 0.001);
    EXPECT_NE(firing.summary.find("provider=anthropic"), std::string::npos) << firing.summary;
    EXPECT_NE(firing.detailsJson.find("http_5xx"), std::string::npos) << "the error types are in the figures";

    for (std::int64_t m = 9; m <= 34; ++m)
        h.at(kT0 + m * kMinute);
    // Errors stop at 30m. The 5-minute window's rate falls as the erroring
    // minutes leave it: 2 of 5 minutes at 33m (8%), 1 of 5 at 34m (4%, under
    // the 5% threshold). keep_firing_for holds the alert until 5 minutes
    // after the last breach (33m).
    EXPECT_EQ(h.phase(key), AlertPhase::Firing);
    for (std::int64_t m = 35; m <= 40; ++m)
        h.at(kT0 + m * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Inactive);
    EXPECT_EQ(h.count("trigger", key), 1);
    EXPECT_EQ(h.count("resolve", key), 1);
    EXPECT_EQ(h.state(key).lastTrueMs, kT0 + 33 * kMinute);
    EXPECT_EQ(h.state(key).resolvedAtMs, kT0 + 38 * kMinute);
}

TEST(Evaluator, AShortBreachThatDoesNotLastForStaysPendingAndPagesNobody)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "1m"
threshold = 0.05
for = "3m"
min_requests = 10
)");
    h.store().add({.fromMs = kT0, .toMs = kT0 + 20 * kMinute});
    h.store().add({.fromMs = kT0 + 20 * kMinute, .toMs = kT0 + 22 * kMinute, .errorShare = 0.5});
    h.store().add({.fromMs = kT0 + 22 * kMinute, .toMs = kT0 + 30 * kMinute});
    for (std::int64_t m = 19; m <= 28; ++m)
        h.at(kT0 + m * kMinute);
    EXPECT_EQ(h.phase("vigil/errors"), AlertPhase::Inactive);
    EXPECT_TRUE(outbox(h.path()).empty());
    AlertStore store(h.path(), AlertStore::Access::ReadOnly);
    const auto history = store.history({});
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1].event, "pending");
    EXPECT_EQ(history[0].event, "cleared");
}

TEST(Evaluator, AFlappingSignalIsOneEpisodeWithOneTriggerAndOneResolve)
{
    Harness h(R"(
[[alerts.rules]]
name = "flappy"
type = "error_rate"
window = "1m"
threshold = 0.05
keep_firing_for = "5m"
min_requests = 10
)");
    // Errors in every other two-minute block for 30 minutes, then none.
    for (std::int64_t block = 0; block < 15; ++block)
        h.store().add({.fromMs = kT0 + block * 2 * kMinute, .toMs = kT0 + (block + 1) * 2 * kMinute,
                       .errorShare = block % 2 == 0 ? 0.3 : 0.0});
    h.store().add({.fromMs = kT0 + 30 * kMinute, .toMs = kT0 + 50 * kMinute});
    int firingEvaluations = 0;
    for (std::int64_t m = 1; m <= 45; ++m) {
        h.at(kT0 + m * kMinute);
        firingEvaluations += h.phase("vigil/flappy") == AlertPhase::Firing;
    }
    EXPECT_GT(firingEvaluations, 25) << "it stayed firing through the gaps";
    EXPECT_EQ(h.count("trigger", "vigil/flappy"), 1);
    EXPECT_EQ(h.count("resolve", "vigil/flappy"), 1);
    EXPECT_EQ(h.state("vigil/flappy").episode, 1);
}

TEST(Evaluator, WithoutHysteresisEachFlapIsItsOwnEpisodeStillOneTriggerAndResolveEach)
{
    Harness h(R"(
[[alerts.rules]]
name = "flappy"
type = "error_rate"
window = "1m"
threshold = 0.05
min_requests = 10
)");
    for (std::int64_t block = 0; block < 6; ++block)
        h.store().add({.fromMs = kT0 + block * 2 * kMinute, .toMs = kT0 + (block + 1) * 2 * kMinute,
                       .errorShare = block % 2 == 0 ? 0.3 : 0.0});
    for (std::int64_t m = 1; m <= 12; ++m)
        h.at(kT0 + m * kMinute);
    const AlertState s = h.state("vigil/flappy");
    EXPECT_EQ(s.episode, 3);
    EXPECT_EQ(h.count("trigger", "vigil/flappy"), 3);
    EXPECT_EQ(h.count("resolve", "vigil/flappy"), 3);
    // Each episode's messages have their own stable ids.
    std::set<std::string> ids;
    for (const OutboxMessage &m : outbox(h.path()))
        ids.insert(m.destination + m.messageId);
    EXPECT_EQ(ids.size(), outbox(h.path()).size());
}

TEST(Evaluator, LatencyP95PerModel)
{
    Harness h(R"(
[[alerts.rules]]
name = "latency"
type = "latency_p95"
group_by = "model"
window = "5m"
threshold = 2000
min_requests = 20
)");
    h.store().add({.toMs = kT0 + 10 * kMinute, .model = "gpt-4o-mini", .latencyMs = 3000});
    h.store().add({.toMs = kT0 + 10 * kMinute, .model = "gpt-4o", .latencyMs = 800});
    h.at(kT0 + 10 * kMinute);
    EXPECT_EQ(h.phase("vigil/latency/model=gpt-4o-mini"), AlertPhase::Firing);
    EXPECT_EQ(h.phase("vigil/latency/model=gpt-4o"), AlertPhase::Inactive);
    const AlertState s = h.state("vigil/latency/model=gpt-4o-mini");
    EXPECT_GT(s.value, 3000);
    EXPECT_NE(s.detailsJson.find("p95_ms"), std::string::npos);
}

TEST(Evaluator, TooFewRequestsGiveNoVerdict)
{
    Harness h(R"(
[[alerts.rules]]
name = "latency"
type = "latency_p95"
window = "5m"
threshold = 2000
min_requests = 500
)");
    h.store().add({.toMs = kT0 + 5 * kMinute, .latencyMs = 9000});
    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.phase("vigil/latency"), AlertPhase::Inactive);
}

TEST(Evaluator, FallbackRate)
{
    Harness h(R"(
[[alerts.rules]]
name = "fallbacks"
type = "fallback_rate"
window = "5m"
threshold = 0.1
min_requests = 10
)");
    h.store().add({.toMs = kT0 + 5 * kMinute, .fallbackShare = 0.25});
    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.phase("vigil/fallbacks"), AlertPhase::Firing);
    EXPECT_NEAR(h.state("vigil/fallbacks").value, 0.25, 0.01);
}

TEST(Evaluator, RetrievalEmptyRateCountsOnlyRequestsThatRetrieve)
{
    Harness h(R"(
[[alerts.rules]]
name = "empty"
type = "retrieval_empty_rate"
window = "5m"
threshold = 0.3
min_requests = 10
)");
    // Half of the retrieving requests find nothing; many more requests do
    // not retrieve at all and must not dilute the share.
    h.store().add({.toMs = kT0 + 5 * kMinute, .perMinute = 20, .promptName = "answer", .retrievalHits = 4,
                   .emptyRetrievalShare = 0.5});
    h.store().add({.toMs = kT0 + 5 * kMinute, .perMinute = 200, .promptName = "summarize"});
    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.phase("vigil/empty"), AlertPhase::Firing);
    EXPECT_NEAR(h.state("vigil/empty").value, 0.5, 0.01);
}

TEST(Evaluator, IngestStalledWhenNoRecordsArriveAndResolvedWhenTheyDo)
{
    Harness h(R"(
[[alerts.rules]]
name = "stalled"
type = "ingest_stalled"
threshold = "15m"
)");
    // The stall is measured from the wall-clock time of the last commit, so
    // the first batch is moved 40 minutes into the past and the evaluations
    // before the second batch happen in that past.
    const std::int64_t t0 = currentTimeMs();
    h.at(t0 - 60 * kMinute);
    EXPECT_EQ(h.phase("vigil/stalled"), AlertPhase::Inactive) << "a store that never had data has not stalled";
    h.store().add({.fromMs = kT0, .toMs = kT0 + kMinute});
    {
        sqlite3 *db = nullptr;
        ASSERT_EQ(sqlite3_open(h.path().c_str(), &db), SQLITE_OK);
        const std::string sql = "UPDATE batches SET committed_at = " + std::to_string(t0 - 40 * kMinute);
        EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    }
    h.at(t0 - 30 * kMinute);
    EXPECT_EQ(h.phase("vigil/stalled"), AlertPhase::Inactive);
    h.at(t0 - 20 * kMinute);
    EXPECT_EQ(h.phase("vigil/stalled"), AlertPhase::Firing);
    EXPECT_NE(h.state("vigil/stalled").summary.find("no records"), std::string::npos);
    h.store().add({.fromMs = kT0 + kMinute, .toMs = kT0 + 2 * kMinute});
    h.at(currentTimeMs() + kMinute);
    EXPECT_EQ(h.phase("vigil/stalled"), AlertPhase::Inactive);
    EXPECT_EQ(h.count("trigger", "vigil/stalled"), 1);
    EXPECT_EQ(h.count("resolve", "vigil/stalled"), 1);
}

TEST(Evaluator, DailySpendWarnsAtTheShareAndPagesAtTheCapOnceEach)
{
    Harness h(R"(
[[alerts.rules]]
name = "daily"
type = "cost_daily"

[costs]
warn_share = 0.8
daily_cap_usd = 10
daily_reviewed_on = 2026-11-01
)");
    const std::string warn = "vigil/daily/level=warn", page = "vigil/daily/level=page";
    h.store().add({.toMs = kT0 + 10 * kMinute, .costUsd = 0.01}); // $6.00
    h.at(kT0 + 10 * kMinute);
    EXPECT_EQ(h.phase(warn), AlertPhase::Inactive);
    h.store().add({.fromMs = kT0 + 10 * kMinute, .toMs = kT0 + 14 * kMinute, .costUsd = 0.01}); // $8.40
    h.at(kT0 + 14 * kMinute);
    EXPECT_EQ(h.phase(warn), AlertPhase::Firing);
    EXPECT_EQ(h.phase(page), AlertPhase::Inactive);
    EXPECT_EQ(h.state(warn).severity, Severity::Warning);
    h.store().add({.fromMs = kT0 + 14 * kMinute, .toMs = kT0 + 17 * kMinute, .costUsd = 0.01}); // $10.20
    for (std::int64_t m = 17; m <= 40; ++m)
        h.at(kT0 + m * kMinute);
    EXPECT_EQ(h.phase(page), AlertPhase::Firing);
    EXPECT_EQ(h.state(page).severity, Severity::Critical);
    EXPECT_EQ(h.count("trigger", warn), 1);
    EXPECT_EQ(h.count("trigger", page), 1);
    EXPECT_NE(h.state(page).summary.find("cap reached"), std::string::npos) << h.state(page).summary;
    // A new day starts from zero: both resolve.
    h.at(kT0 + 86'400'000LL);
    EXPECT_EQ(h.phase(page), AlertPhase::Inactive);
    EXPECT_EQ(h.count("resolve", page), 1);
    EXPECT_EQ(h.count("resolve", warn), 1);
}

TEST(Evaluator, TenantSpendAgainstTheDefaultCapAndItsOverrides)
{
    Harness h(R"(
[[alerts.rules]]
name = "tenants"
type = "cost_tenant"

[costs]
tenant_default_cap_usd = 5
tenant_default_reviewed_on = 2026-11-01
[costs.tenants.acme]
cap_usd = 20
reviewed_on = 2026-11-01
)");
    h.store().add({.toMs = kT0 + 10 * kMinute, .perMinute = 100, .tenant = "acme", .costUsd = 0.01});   // $10 of 20
    h.store().add({.toMs = kT0 + 10 * kMinute, .perMinute = 60, .tenant = "globex", .costUsd = 0.01});  // $6 of 5
    h.store().add({.toMs = kT0 + 10 * kMinute, .perMinute = 42, .tenant = "initech", .costUsd = 0.01}); // $4.20 of 5
    h.at(kT0 + 10 * kMinute);
    h.at(kT0 + 11 * kMinute);
    EXPECT_EQ(h.phase("vigil/tenants/tenant=acme,level=warn"), AlertPhase::Inactive) << "acme has its own, higher cap";
    EXPECT_EQ(h.phase("vigil/tenants/tenant=globex,level=page"), AlertPhase::Firing);
    EXPECT_EQ(h.phase("vigil/tenants/tenant=globex,level=warn"), AlertPhase::Firing);
    EXPECT_EQ(h.phase("vigil/tenants/tenant=initech,level=warn"), AlertPhase::Firing);
    EXPECT_EQ(h.phase("vigil/tenants/tenant=initech,level=page"), AlertPhase::Inactive);
    EXPECT_EQ(h.count("trigger", "vigil/tenants/tenant=globex,level=page"), 1);

    // A cap raised on the Costs page (stored, with its operator-log entry) applies at the next evaluation.
    AlertBoard board(h.path(), AlertSetup{h.config(), "test.toml", "test.toml", {}});
    board.setCap(CapScope::Tenant, "globex", 50, QDate(2026, 11, 20), "launch week", currentActor(), kT0 + 11 * kMinute);
    h.at(kT0 + 12 * kMinute);
    EXPECT_EQ(h.phase("vigil/tenants/tenant=globex,level=page"), AlertPhase::Inactive);
    EXPECT_EQ(h.count("resolve", "vigil/tenants/tenant=globex,level=page"), 1);
}

TEST(Evaluator, PromptRegressionFiresAfterABadDeployAndResolvesOnRollback)
{
    Harness h(R"(
[[alerts.rules]]
name = "regression"
type = "prompt_regression"
window = "15m"
min_requests = 30
)");
    const std::string v1(40, 'a'), v2(40, 'b');
    {
        PromptActivationStore activations(h.path());
        activations.activate({"summarize", v1, std::string("first"), currentActor(), kT0, {}, {}});
        activations.activate({"summarize", v2, std::string("new wording"), currentActor(), kT0 + 30 * kMinute, {}, {}});
    }
    h.store().add({.fromMs = kT0 + 10 * kMinute, .toMs = kT0 + 30 * kMinute, .promptName = "summarize", .promptVersion = v1});
    h.store().add({.fromMs = kT0 + 30 * kMinute, .toMs = kT0 + 46 * kMinute, .promptName = "summarize",
                   .promptVersion = v2, .errorShare = 0.2});
    h.at(kT0 + 46 * kMinute);
    const std::string key = "vigil/regression/prompt=summarize";
    ASSERT_EQ(h.phase(key), AlertPhase::Firing);
    EXPECT_NE(h.state(key).summary.find("bbbbbbb"), std::string::npos) << h.state(key).summary;
    EXPECT_NE(h.state(key).summary.find("aaaaaaa"), std::string::npos);

    {
        PromptActivationStore activations(h.path());
        activations.rollback({"summarize", {}, std::string("regression"), currentActor(), kT0 + 50 * kMinute, {}, {}});
    }
    h.store().add({.fromMs = kT0 + 50 * kMinute, .toMs = kT0 + 66 * kMinute, .promptName = "summarize", .promptVersion = v1});
    h.at(kT0 + 66 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Inactive);
    EXPECT_EQ(h.count("trigger", key), 1);
    EXPECT_EQ(h.count("resolve", key), 1);
}

TEST(Evaluator, NotificationFailedGoesToEveryOtherDestination)
{
    Harness h(R"(
[alerts]
notification_failed_after = "10m"

[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)");
    h.store().add({.toMs = kT0 + 5 * kMinute, .errorShare = 0.5});
    h.at(kT0 + 5 * kMinute);
    std::int64_t toA = 0;
    for (const OutboxMessage &m : outbox(h.path()))
        if (m.destination == "a")
            toA = m.id;
    ASSERT_NE(toA, 0);
    AlertOutbox box(h.path());
    box.markRetry(toA, {kT0 + 6 * kMinute, 503, "HTTP 503", "busy"}, kT0 + 7 * kMinute);
    h.at(kT0 + 10 * kMinute);
    const std::string key = "vigil/notification-failed/destination=a";
    EXPECT_EQ(h.phase(key), AlertPhase::Inactive) << "failing for 4 of the 10 minutes";
    h.at(kT0 + 17 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Firing);
    const auto triggers = outboxEvents(h.path(), "trigger", key);
    ASSERT_EQ(triggers.size(), 1u);
    EXPECT_EQ(triggers[0].destination, "b") << "never to the destination that fails";
    EXPECT_NE(h.state(key).summary.find("HTTP 503"), std::string::npos) << h.state(key).summary;

    box.markDelivered(toA, {kT0 + 18 * kMinute, 202, {}, {}});
    h.at(kT0 + 19 * kMinute);
    EXPECT_EQ(h.phase(key), AlertPhase::Inactive);
}

TEST(Evaluator, ARefusalRaisesNotificationFailedAtOnce)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)");
    h.store().add({.toMs = kT0 + 5 * kMinute, .errorShare = 0.5});
    h.at(kT0 + 5 * kMinute);
    const auto toB = outboxEvents(h.path(), "trigger", "vigil/errors");
    ASSERT_EQ(toB.size(), 2u);
    AlertOutbox box(h.path());
    box.markFailed(toB[1].id, {kT0 + 5 * kMinute + 1000, 400, "HTTP 400 (refused: not retried)", "{\"message\":\"Invalid routing key\"}"}, false);
    h.at(kT0 + 6 * kMinute);
    const std::string key = "vigil/notification-failed/destination=" + toB[1].destination;
    EXPECT_EQ(h.phase(key), AlertPhase::Firing);
    // Shown loudly, whether or not another destination can carry it.
    AlertBoard board(h.path(), AlertSetup{h.config(), "test.toml", "test.toml", {}});
    EXPECT_TRUE(board.overview(kT0 + 6 * kMinute).notificationFailing);
}

TEST(Evaluator, SilencedAlertsFireWithoutPagingAndPageWhenTheSilenceEnds)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)");
    h.store().add({.toMs = kT0 + 40 * kMinute, .errorShare = 0.5});
    AlertBoard board(h.path(), AlertSetup{h.config(), "test.toml", "test.toml", {}});
    board.silence("errors", 20 * kMinute, "maintenance window", currentActor(), kT0);
    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.phase("vigil/errors"), AlertPhase::Firing);
    EXPECT_EQ(h.count("trigger", "vigil/errors"), 0);
    const AlertOverview o = board.overview(kT0 + 6 * kMinute);
    ASSERT_EQ(o.silenced.size(), 1u);
    EXPECT_EQ(o.silenced[0].silence->reason, "maintenance window");
    h.at(kT0 + 25 * kMinute);
    EXPECT_EQ(h.count("trigger", "vigil/errors"), 1) << "still firing after the silence: it pages now";
}

TEST(Evaluator, RemindersStopOnceAcknowledgedAndPagerDutyIsToldOfTheAcknowledgement)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
repeat_interval = "10m"

[[alerts.destinations]]
name = "pd"
type = "pagerduty"
routing_key = "env:VIGIL_TEST_UNUSED_KEY"
)");
    h.store().add({.toMs = kT0 + 60 * kMinute, .errorShare = 0.5});
    for (std::int64_t m = 5; m <= 15; ++m)
        h.at(kT0 + m * kMinute);
    EXPECT_EQ(h.count("reminder", "vigil/errors"), 1);
    AlertBoard board(h.path(), AlertSetup{h.config(), "test.toml", "test.toml", {}});
    const AlertState acked = board.acknowledge("vigil/errors", "looking at it", currentActor(), kT0 + 16 * kMinute);
    ASSERT_TRUE(acked.acknowledged.has_value());
    for (std::int64_t m = 16; m <= 40; ++m)
        h.at(kT0 + m * kMinute);
    EXPECT_EQ(h.count("reminder", "vigil/errors"), 1);
    const auto acks = outboxEvents(h.path(), "acknowledge", "vigil/errors");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].destination, "pd") << "only PagerDuty has an acknowledged state";
    EXPECT_THROW(board.acknowledge("vigil/errors", "again", currentActor(), kT0 + 41 * kMinute), AlertActionRefused);
    EXPECT_THROW(board.acknowledge("vigil/nothing", "", currentActor(), kT0 + 41 * kMinute), AlertActionRefused);
}

TEST(Evaluator, ARestartNeverPagesAnAlertThatAlreadyPaged)
{
    Harness h(R"(
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)");
    h.store().add({.toMs = kT0 + 30 * kMinute, .errorShare = 0.5});
    h.at(kT0 + 5 * kMinute);
    EXPECT_EQ(h.count("trigger", "vigil/errors"), 1);
    for (int i = 0; i < 3; ++i) {
        h.restart();
        h.at(kT0 + (6 + i) * kMinute);
    }
    EXPECT_EQ(h.count("trigger", "vigil/errors"), 1);
    EXPECT_EQ(h.phase("vigil/errors"), AlertPhase::Firing);
}

TEST(Evaluator, OnlyTheLeaseHolderEvaluatesAndAnotherTakesOverWhenItExpires)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    store.add({.toMs = kT0 + 10 * kMinute, .errorShare = 0.5});
    const AlertConfig config = alertConfig(R"(
[alerts]
lease = "60s"
[[alerts.rules]]
name = "errors"
type = "error_rate"
window = "5m"
threshold = 0.05
min_requests = 10
)" + kDestinations);
    std::int64_t wall = currentTimeMs();
    auto clock = [&wall] { return wall; };
    AlertEvaluator::Options a = evaluatorOptions(store.path(), config);
    a.wallClock = clock;
    AlertEvaluator::Options b = a;
    AlertEvaluator first(a), second(b);
    ASSERT_NE(first.holderId(), second.holderId());
    EXPECT_TRUE(first.evaluate(kT0 + 5 * kMinute).leaseHeld);
    const AlertEvaluator::Result refused = second.evaluate(kT0 + 5 * kMinute);
    EXPECT_FALSE(refused.leaseHeld);
    EXPECT_EQ(refused.events, 0);
    EXPECT_EQ(outboxEvents(store.path(), "trigger").size(), 2u) << "one trigger per destination, from the holder only";
    // The holder lives in this process, so only expiry frees it.
    wall += 61'000;
    EXPECT_TRUE(second.evaluate(kT0 + 6 * kMinute).leaseHeld);
    EXPECT_FALSE(first.evaluate(kT0 + 6 * kMinute).leaseHeld);
    EXPECT_EQ(outboxEvents(store.path(), "trigger").size(), 2u) << "the new holder does not page again";
}

} // namespace
} // namespace vigil::test
