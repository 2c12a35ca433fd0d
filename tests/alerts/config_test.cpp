// [alerts] and [costs] of vigil.toml: every rule type read, every mistake named with its line.
#include "alert_fixture.h"

#include "alerts/alert_setup.h"
#include "alerts/cost_caps.h"
#include "config/config.h"

#include <gtest/gtest.h>

#include <set>

namespace vigil::test {
namespace {

std::vector<ConfigProblem> problemsOf(const std::string &toml)
{
    std::vector<ConfigProblem> problems;
    EXPECT_FALSE(loadConfigText(toml, "bad.toml", problems).has_value());
    return problems;
}

// The problem on `line`, or a failure listing them all.
std::string problemOn(const std::vector<ConfigProblem> &problems, int line)
{
    std::string all;
    for (const ConfigProblem &p : problems) {
        if (p.line == line)
            return p.message;
        all += p.text() + "\n";
    }
    ADD_FAILURE() << "no problem on line " << line << "; found:\n" << all;
    return {};
}

TEST(AlertConfig, ReadsEveryRuleTypeWithTimingFiltersAndGrouping)
{
    const AlertConfig c = alertConfig(R"(
[alerts]
evaluate_every = "15s"
instance = "prod"
notification_failed_after = "5m"

[[alerts.rules]]
name = "p95"
type = "latency_p95"
window = "10m"
threshold = 2500
for = "5m"
keep_firing_for = "10m"
repeat_interval = "1h"
model = "gpt-4o-mini"
group_by = "tenant"
min_requests = 30
severity = "warning"
destinations = ["oncall"]

[[alerts.rules]]
name = "errors"
type = "error_rate"
threshold = 0.05
provider = "anthropic"
prompt = "summarize@3f9c2ab"

[[alerts.rules]]
name = "fallbacks"
type = "fallback_rate"
threshold = 0.1
group_by = "model"

[[alerts.rules]]
name = "empty"
type = "retrieval_empty_rate"
threshold = 0.3
tenant = "acme"

[[alerts.rules]]
name = "stalled"
type = "ingest_stalled"
threshold = "15m"

[[alerts.rules]]
name = "daily"
type = "cost_daily"

[[alerts.rules]]
name = "tenants"
type = "cost_tenant"

[[alerts.rules]]
name = "regression"
type = "prompt_regression"
window = "20m"

[[alerts.destinations]]
name = "oncall"
type = "pagerduty"
routing_key = "env:PD_KEY"
endpoint = "http://127.0.0.1:9/v2/enqueue"
min_severity = "error"

[costs]
time_zone = "Europe/Berlin"
warn_share = 0.75
daily_cap_usd = 500
daily_reviewed_on = 2026-11-01
tenant_default_cap_usd = 50
tenant_default_reviewed_on = "2026-10-01"

[costs.tenants.acme]
cap_usd = 200
reviewed_on = 2026-11-15
)");
    ASSERT_EQ(c.rules.size(), 8u);
    std::set<AlertType> types;
    for (const AlertRule &r : c.rules)
        types.insert(r.type);
    EXPECT_EQ(types.size(), 8u) << "every configurable type once";
    const AlertRule &p95 = *c.rule("p95");
    EXPECT_EQ(p95.windowMs, 10 * kMinute);
    EXPECT_EQ(p95.threshold, 2500);
    EXPECT_EQ(p95.forMs, 5 * kMinute);
    EXPECT_EQ(p95.keepFiringForMs, 10 * kMinute);
    EXPECT_EQ(p95.repeatIntervalMs, 60 * kMinute);
    EXPECT_EQ(p95.filter.model, std::optional<std::string>("gpt-4o-mini"));
    EXPECT_EQ(p95.groupBy, GroupBy::Tenant);
    EXPECT_EQ(p95.minRequests, 30u);
    EXPECT_EQ(p95.severity, Severity::Warning);
    EXPECT_EQ(p95.destinations, std::vector<std::string>{"oncall"});
    const AlertRule &errors = *c.rule("errors");
    EXPECT_EQ(errors.threshold, 0.05);
    EXPECT_EQ(errors.filter.provider, std::optional<std::string>("anthropic"));
    EXPECT_EQ(errors.filter.promptName, std::optional<std::string>("summarize"));
    EXPECT_EQ(errors.filter.promptVersion, std::optional<std::string>("3f9c2ab"));
    EXPECT_EQ(c.rule("stalled")->threshold, 15 * kMinute);
    EXPECT_EQ(c.rule("regression")->windowMs, 20 * kMinute);
    EXPECT_EQ(c.settings.evaluateEveryMs, 15'000);
    EXPECT_EQ(c.settings.instance, "prod");
    EXPECT_EQ(c.settings.notificationFailedAfterMs, 5 * kMinute);
    ASSERT_EQ(c.destinations.size(), 1u);
    EXPECT_EQ(c.destinations[0].secretRef, "env:PD_KEY");
    EXPECT_EQ(c.destinations[0].endpoint, "http://127.0.0.1:9/v2/enqueue");
    EXPECT_EQ(c.destinations[0].ratePerMinute, 120) << "PagerDuty's pace by default";
    EXPECT_EQ(c.costs.timeZone, "Europe/Berlin");
    EXPECT_EQ(c.costs.warnShare, 0.75);
    ASSERT_TRUE(c.costs.daily && c.costs.tenantDefault);
    EXPECT_EQ(c.costs.daily->usd, 500);
    EXPECT_EQ(*c.costs.tenantDefault->reviewedOn, QDate(2026, 10, 1));
    EXPECT_EQ(c.costs.tenants.at("acme").usd, 200);
}

TEST(AlertConfig, NamesTheLineOfEveryMistake)
{
    const std::string text = "[alerts]\n"                                    // 1
                             "evaluate_every = \"soon\"\n"                   // 2
                             "[[alerts.rules]]\n"                            // 3
                             "name = \"p95\"\n"                              // 4
                             "type = \"latency_p95\"\n"                      // 5
                             "threshold = \"fast\"\n"                        // 6
                             "[[alerts.rules]]\n"                            // 7
                             "name = \"errors\"\n"                           // 8
                             "type = \"error_rate\"\n"                       // 9
                             "threshold = 5\n"                               // 10
                             "[[alerts.rules]]\n"                            // 11
                             "name = \"typo\"\n"                             // 12
                             "type = \"eror_rate\"\n"                        // 13
                             "[[alerts.rules]]\n"                            // 14
                             "name = \"stalled\"\n"                          // 15
                             "type = \"ingest_stalled\"\n"                   // 16
                             "threshold = \"15m\"\n"                         // 17
                             "tenant = \"acme\"\n"                           // 18
                             "[[alerts.rules]]\n"                            // 19
                             "name = \"unknown-key\"\n"                      // 20
                             "type = \"fallback_rate\"\n"                    // 21
                             "threshold = 0.1\n"                             // 22
                             "treshold = 0.2\n"                              // 23
                             "[[alerts.destinations]]\n"                     // 24
                             "name = \"pd\"\n"                               // 25
                             "type = \"pagerduty\"\n"                        // 26
                             "routing_key = \"R0UT1NGKEY1234567890\"\n"      // 27
                             "[[alerts.rules]]\n"                            // 28
                             "name = \"daily\"\n"                            // 29
                             "type = \"cost_daily\"\n"                       // 30
                             "destinations = [\"nowhere\"]\n"                // 31
                             "[costs]\n"                                     // 32
                             "time_zone = \"Mars/Olympus\"\n"                // 33
                             "warn_share = 1.5\n";                           // 34
    const auto problems = problemsOf(text);
    EXPECT_NE(problemOn(problems, 2).find("evaluate_every"), std::string::npos);
    EXPECT_NE(problemOn(problems, 6).find("milliseconds"), std::string::npos);
    EXPECT_NE(problemOn(problems, 10).find("share"), std::string::npos);
    EXPECT_NE(problemOn(problems, 13).find("error_rate"), std::string::npos) << "lists the known types";
    EXPECT_NE(problemOn(problems, 18).find("no tenant filter"), std::string::npos);
    EXPECT_NE(problemOn(problems, 23).find("unknown key \"treshold\""), std::string::npos);
    EXPECT_NE(problemOn(problems, 27).find("never written into vigil.toml"), std::string::npos);
    EXPECT_NE(problemOn(problems, 28).find("nowhere"), std::string::npos);
    EXPECT_NE(problemOn(problems, 33).find("Mars/Olympus"), std::string::npos);
    EXPECT_NE(problemOn(problems, 34).find("warn_share"), std::string::npos);
    // The rule without caps: cost_daily needs [costs] daily_cap_usd.
    bool capProblem = false;
    for (const ConfigProblem &p : problems)
        capProblem = capProblem || p.message.find("daily_cap_usd") != std::string::npos;
    EXPECT_TRUE(capProblem);
}

TEST(AlertConfig, RefusesDuplicateNamesAndBuiltInTypes)
{
    const auto problems = problemsOf("[[alerts.rules]]\nname = \"a\"\ntype = \"error_rate\"\nthreshold = 0.1\n"
                                     "[[alerts.rules]]\nname = \"a\"\ntype = \"error_rate\"\nthreshold = 0.2\n"
                                     "[[alerts.rules]]\nname = \"b\"\ntype = \"notification_failed\"\n");
    EXPECT_NE(problemOn(problems, 5).find("already defined"), std::string::npos);
    EXPECT_NE(problemOn(problems, 11).find("built in"), std::string::npos);
}

TEST(AlertConfig, ShippedDefaultLoadsAndCoversEveryConfigurableType)
{
    std::vector<ConfigProblem> problems;
    const auto shipped = loadShippedDefaultConfig(problems);
    ASSERT_TRUE(shipped.has_value()) << (problems.empty() ? std::string() : problems.front().text());
    std::set<AlertType> types;
    for (const AlertRule &r : shipped->alerts.rules)
        types.insert(r.type);
    for (AlertType t : allAlertTypes()) {
        if (t != AlertType::NotificationFailed) {
            EXPECT_TRUE(types.count(t)) << alertTypeName(t);
        }
    }
    EXPECT_TRUE(shipped->alerts.destinations.empty()) << "no secrets, no destinations shipped";
    EXPECT_TRUE(shipped->alerts.costs.daily && shipped->alerts.costs.tenantDefault);
}

TEST(AlertConfig, AFileWithoutRulesGetsTheShippedRulesAndKeepsItsDestinations)
{
    const AlertSetup setup = alertSetup("[alerts]\n[[alerts.destinations]]\nname = \"s\"\ntype = \"slack\"\n"
                                        "webhook_url = \"keychain:slack\"\n");
    EXPECT_FALSE(setup.config.rules.empty());
    ASSERT_EQ(setup.config.destinations.size(), 1u);
    EXPECT_EQ(setup.config.destinations[0].type, DestinationType::Slack);
    EXPECT_TRUE(setup.config.costs.daily.has_value()) << "the shipped caps when the file has no [costs]";
}

TEST(CapReview, OverdueAfterNinetyTwoDaysOrWithoutADate)
{
    CostCaps caps;
    caps.daily = CapSetting{500, QDate(2026, 1, 1), 7};
    caps.tenantDefault = CapSetting{50, QDate(2026, 11, 1), 9};
    caps.tenants["acme"] = CapSetting{200, std::nullopt, 12};
    const EffectiveCaps effective = effectiveCaps(caps, "vigil.toml", {});
    const auto findings = capReviewFindings(effective, "vigil.toml", QDate(2026, 11, 20));
    ASSERT_EQ(findings.size(), 2u);
    std::set<int> lines;
    for (const auto &f : findings) {
        lines.insert(f.line);
        EXPECT_NE(f.message.find("review overdue"), std::string::npos);
    }
    EXPECT_EQ(lines, (std::set<int>{7, 12}));
    // 92 days is still in time; 93 is not.
    EXPECT_FALSE((EffectiveCap{1, QDate(2026, 8, 20), "", false}.reviewOverdue(QDate(2026, 11, 20))));
    EXPECT_TRUE((EffectiveCap{1, QDate(2026, 8, 19), "", false}.reviewOverdue(QDate(2026, 11, 20))));
}

TEST(CostDay, FollowsTheConfiguredTimeZone)
{
    const std::int64_t at = kT0; // 2026-11-20T10:00Z
    const TimeWindow utc = costDay(at, costTimeZone("UTC"));
    EXPECT_EQ(utc.fromMs, kT0 - 10 * 3'600'000LL);
    EXPECT_EQ(utc.lengthMs(), 86'400'000LL);
    const TimeWindow tokyo = costDay(at, costTimeZone("Asia/Tokyo")); // 19:00 local: the day began 15:00Z the day before
    EXPECT_EQ(tokyo.fromMs, kT0 - 19 * 3'600'000LL);
    // A daylight-saving day in Berlin is 23 hours long.
    const std::int64_t changeDay = 1806235200000; // 2027-03-28T12:00Z, clocks go forward that night
    const TimeWindow berlin = costDay(changeDay, costTimeZone("Europe/Berlin"));
    EXPECT_EQ(berlin.lengthMs(), 23 * 3'600'000LL);
    EXPECT_EQ(berlin.fromMs, changeDay - 13 * 3'600'000LL); // midnight CET = 23:00Z the day before
    EXPECT_TRUE(berlin.contains(changeDay));
}

} // namespace
} // namespace vigil::test
