// The demo's quiet hours stay quiet, whatever hour of the day it is built at:
// outside the incident no healthy model's p95 comes near the shipped
// model-latency threshold in any window of the day, and no provider's error
// rate comes near the shipped error threshold in the windows the demo's
// evaluator looks at (its catch-up and the hour before). Otherwise the demo
// pages for a healthy model at random hours, as CI once saw
// claude-3-5-sonnet page twice. The generator's real output, parsed by the
// real parser, against the rules read from resources/vigil.default.toml.
#include "alerts/alert_config.h"
#include "config/config.h"
#include "demo/log_generator.h"
#include "record/record_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace vigil {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
// The breach must be clear, not luck: 85% of a threshold at most.
constexpr double kHeadroom = 0.85;

struct Call
{
    std::int64_t ts;
    double latencyMs;
    bool failed;
};

// The demo as `vigilctl demo --records 60000` builds it when "now" is `endMs`.
std::vector<Record> demoRecords(std::int64_t endMs)
{
    GeneratorOptions gen;
    gen.endMs = endMs;
    gen.startMs = endMs - kDay;
    gen.records = 60'000;
    gen.minPayloadBytes = 400;
    gen.maxPayloadBytes = 1500;
    gen.incidentEndMs = endMs;
    LogGenerator generator(gen);
    RecordParser parser;
    std::vector<Record> records;
    std::string line;
    while (generator.next(line)) {
        Record r;
        ParseError error;
        EXPECT_TRUE(parser.parseText(line, r, error)) << line;
        records.push_back(std::move(r));
    }
    return records;
}

const AlertRule &shippedRule(const VigilConfig &config, AlertType type)
{
    const auto it = std::find_if(config.alerts.rules.begin(), config.alerts.rules.end(),
                                 [type](const AlertRule &r) { return r.type == type; });
    if (it == config.alerts.rules.end())
        throw std::runtime_error("the shipped config has no rule of this type");
    return *it;
}

// The worst value of `measure` over every window of `rule` (sliding by a
// minute, as the evaluator does) that ends in [from, quietUntil] and holds at
// least the rule's minimum of requests.
template <typename Measure>
double worstWindow(const std::vector<Call> &calls, const AlertRule &rule, std::int64_t from, std::int64_t quietUntil,
                   Measure measure)
{
    double worst = 0;
    std::size_t begin = 0, end = 0;
    for (std::int64_t at = std::max(from, calls.front().ts + rule.windowMs); at <= quietUntil; at += kMinute) {
        while (end < calls.size() && calls[end].ts < at)
            ++end;
        while (begin < end && calls[begin].ts < at - rule.windowMs)
            ++begin;
        if (end - begin < rule.minRequests)
            continue;
        worst = std::max(worst, measure(calls.begin() + static_cast<std::ptrdiff_t>(begin),
                                        calls.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    return worst;
}

double p95(std::vector<Call>::const_iterator from, std::vector<Call>::const_iterator to)
{
    std::vector<double> latencies;
    for (auto it = from; it != to; ++it)
        latencies.push_back(it->latencyMs);
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(latencies.size()))) - 1;
    std::nth_element(latencies.begin(), latencies.begin() + static_cast<std::ptrdiff_t>(rank), latencies.end());
    return latencies[rank];
}

double errorRate(std::vector<Call>::const_iterator from, std::vector<Call>::const_iterator to)
{
    const auto failed = std::count_if(from, to, [](const Call &c) { return c.failed; });
    return static_cast<double>(failed) / static_cast<double>(to - from);
}

TEST(DemoBaseline, HealthyModelsAndProvidersStayClearOfTheShippedThresholdsAtAnyHour)
{
    std::vector<ConfigProblem> problems;
    const auto config = loadConfig(VIGIL_SOURCE_DIR "/resources/vigil.default.toml", problems);
    ASSERT_TRUE(config) << (problems.empty() ? std::string() : problems.front().message);
    const AlertRule &latency = shippedRule(*config, AlertType::LatencyP95);
    const AlertRule &errors = shippedRule(*config, AlertType::ErrorRate);

    // Eight times of day (the traffic's daily rhythm moves the windows).
    const std::int64_t midnight = 1'795'824'000'000LL; // 2026-11-28T00:00:00Z
    for (int i = 0; i < 8; ++i) {
        const std::int64_t end = midnight + i * 3 * 3'600'000LL + i * 7 * kMinute;
        SCOPED_TRACE("demo built at " + std::to_string(end));
        // The incident: the last 40 minutes (bad deploy, provider bursts) and the
        // windows that reach into them.
        const std::int64_t quietUntil = end - 40 * kMinute;
        const std::int64_t evaluatedFrom = end - config->alerts.settings.catchUpMs - 3'600'000;
        std::map<std::string, std::vector<Call>> byModel, byProvider;
        for (const Record &r : demoRecords(end)) {
            const Call call{r.tsMs, r.latencyMs, r.outcome == Outcome::Error || r.outcome == Outcome::Timeout};
            byModel[r.model].push_back(call);
            byProvider[r.provider].push_back(call);
        }
        ASSERT_EQ(byModel.size(), 5u);
        for (const auto &[model, calls] : byModel) {
            const double worst = worstWindow(calls, latency, 0, quietUntil, p95);
            EXPECT_LT(worst, kHeadroom * latency.threshold) << model << ": worst quiet p95 " << worst << " ms";
            EXPECT_GT(worst, 0) << model << " never had enough traffic to be judged";
        }
        for (const auto &[provider, calls] : byProvider) {
            const double worst = worstWindow(calls, errors, evaluatedFrom, quietUntil, errorRate);
            EXPECT_LT(worst, kHeadroom * errors.threshold) << provider << ": worst quiet error rate " << worst;
        }
    }
}

} // namespace
} // namespace vigil
