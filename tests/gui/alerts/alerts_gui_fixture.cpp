#include "alerts_gui_fixture.h"

#include "gui_test_support.h"
#include "test_support.h"

#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "alerts/alert_evaluator.h"
#include "config/config.h"
#include "record/record.h"
#include "store/write_queue.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::test {

void addTraffic(const std::string &storePath, const std::vector<Traffic> &traffic)
{
    WriteQueue queue(storePath);
    WriteBatch batch;
    batch.source = "synthetic";
    std::int64_t next = 0;
    for (const Traffic &t : traffic) {
        for (std::int64_t minute = t.fromMs; minute < t.toMs; minute += kMin) {
            const int errors = static_cast<int>(std::lround(t.perMinute * t.errorShare));
            for (int i = 0; i < t.perMinute; ++i) {
                Record r;
                r.tsMs = minute + static_cast<std::int64_t>(i) * kMin / t.perMinute;
                r.requestId = "gui-" + std::to_string(next++);
                r.tenant = t.tenant;
                r.model = t.model;
                r.provider = t.provider;
                r.latencyMs = t.latencyMs * (0.9 + 0.2 * (i % 10) / 10.0);
                r.inputTokens = 100;
                r.outputTokens = 20;
                r.costUsd = t.costUsd;
                r.costSource = CostSource::Reported;
                if (i < errors) {
                    r.outcome = Outcome::Error;
                    r.errorType = "http_5xx";
                }
                batch.records.push_back(std::move(r));
            }
        }
    }
    const BatchOutcome outcome = commitNow(queue, std::move(batch));
    ASSERT_TRUE(outcome.ok()) << (outcome.error ? outcome.error->what() : "");
}

AlertSetup setupFromFile(const std::string &configPath)
{
    std::vector<ConfigProblem> problems;
    const auto config = loadConfig(configPath, problems);
    std::string text;
    for (const ConfigProblem &p : problems)
        text += p.text() + "\n";
    EXPECT_TRUE(config.has_value()) << text;
    return alertSetupFor(config);
}

void evaluateEveryMinute(const std::string &storePath, const AlertSetup &setup, std::int64_t fromMs, std::int64_t toMs)
{
    std::int64_t clock = fromMs;
    AlertEvaluator::Options o;
    o.storePath = storePath;
    o.config = setup.config;
    o.configFile = setup.costsFrom;
    o.regression = setup.regression;
    o.holderId = "gui-test-evaluator";
    o.wallClock = [&clock] { return clock; };
    AlertEvaluator evaluator(std::move(o));
    for (; clock <= toMs; clock += kMin) {
        const AlertEvaluator::Result r = evaluator.evaluate(clock);
        ASSERT_TRUE(r.leaseHeld);
        ASSERT_TRUE(r.ruleErrors.empty()) << r.ruleErrors.front();
    }
    evaluator.releaseLease();
}

IncidentStore buildIncidentStore(const std::string &folder)
{
    IncidentStore s;
    s.storePath = folder + "/incident.db";
    s.configPath = folder + "/vigil.toml";
    writeFile(s.configPath, R"([alerts]
evaluate_every = "1m"
catch_up = "0s"

[[alerts.rules]]
name = "provider-errors"
type = "error_rate"
description = "Errors of one provider's calls."
group_by = "provider"
window = "5m"
threshold = 0.10
for = "2m"
keep_firing_for = "2m"
min_requests = 20
severity = "critical"

[[alerts.rules]]
name = "model-latency"
type = "latency_p95"
description = "One model's p95 latency."
group_by = "model"
window = "5m"
threshold = 3000
for = "2m"
min_requests = 20
severity = "error"

[[alerts.rules]]
name = "gemini-slow-for-an-hour"
type = "latency_p95"
description = "Gemini slow for an hour."
model = "gemini-1.5-pro"
window = "5m"
threshold = 3000
for = "1h"
min_requests = 20
severity = "warning"

[[alerts.rules]]
name = "tenant-spend"
type = "cost_tenant"
description = "Each tenant's spend today against its cap."
severity = "critical"

[costs]
time_zone = "UTC"
warn_share = 0.8
daily_cap_usd = 40.0
daily_reviewed_on = 2026-11-01
tenant_default_cap_usd = 100.0
tenant_default_reviewed_on = 2026-11-01

[costs.tenants.acme]
cap_usd = 20.0
reviewed_on = 2026-10-01

[costs.tenants.beta]
cap_usd = 12.5
reviewed_on = 2026-06-01

[costs.tenants.gamma]
cap_usd = 15.0
reviewed_on = 2026-11-01
)");
    s.setup = setupFromFile(s.configPath);
    const std::int64_t start = kAt - 180 * kMin; // 09:00
    addTraffic(s.storePath,
               {
                   {start, kAt, 30, "acme", "gpt-4o-mini", "openai", 500, 0.001, 0},
                   {start, kAt - 60 * kMin, 30, "beta", "claude-3-5-sonnet", "anthropic", 700, 0.002, 0},
                   {kAt - 60 * kMin, kAt - 40 * kMin, 30, "beta", "claude-3-5-sonnet", "anthropic", 700, 0.002, 0.2},
                   {kAt - 40 * kMin, kAt, 30, "beta", "claude-3-5-sonnet", "anthropic", 700, 0.002, 0},
                   {start, kAt - 20 * kMin, 30, "gamma", "gemini-1.5-pro", "google", 600, 0.003, 0},
                   {kAt - 20 * kMin, kAt, 30, "gamma", "gemini-1.5-pro", "google", 5000, 0.003, 0.3},
               });
    evaluateEveryMinute(s.storePath, s.setup, kAt - 70 * kMin, kAt);
    return s;
}

std::unique_ptr<ui::MainWindow> openWindow(const std::string &storePath, const std::string &configPath, std::int64_t nowMs,
                                           bool evaluator)
{
    auto window = std::make_unique<ui::MainWindow>();
    window->setShowIngestSummaries(false);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    EXPECT_NE(center, nullptr);
    if (!center)
        return window;
    center->setEvaluatorEnabled(evaluator);
    center->config().setConfigFile(QString::fromStdString(configPath));
    window->context().pinNow(nowMs);
    window->resize(1500, 950);
    window->show();
    window->openStore(QString::fromStdString(storePath));
    EXPECT_TRUE(waitFor([&] { return window->context().hasStore() && center->snapshot() != nullptr; }))
        << center->lastError().toStdString();
    return window;
}

} // namespace vigil::test
