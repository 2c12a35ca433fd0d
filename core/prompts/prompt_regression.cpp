#include "prompts/prompt_regression.h"

#include "record/record.h"
#include "store/metrics_reader.h"

#include <algorithm>
#include <cstdio>

namespace vigil {

namespace {

VersionWindowFigures measure(MetricsReader &reader, const std::string &name, const std::string &sha, std::int64_t fromMs,
                             std::int64_t toMs)
{
    VersionWindowFigures f;
    f.sha = sha;
    f.fromMs = fromMs;
    f.toMs = toMs;
    MetricsRequest request;
    request.window = {fromMs, toMs};
    request.filter.promptName = name;
    request.filter.promptVersion = sha;
    const MetricsResult result = reader.query(request);
    const MetricsGroup &g = result.groups.front();
    f.requests = g.totals.requests();
    if (f.requests) {
        const auto n = [&](Outcome o) { return static_cast<double>(g.totals.byOutcome[static_cast<std::size_t>(o)]); };
        f.errorRate = (n(Outcome::Error) + n(Outcome::Timeout)) / static_cast<double>(f.requests);
        f.p95Ms = g.latency.p95;
    }
    return f;
}

std::string percent(double rate)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", rate * 100);
    return buffer;
}

std::string ms(std::optional<double> value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f ms", value.value_or(0));
    return buffer;
}

} // namespace

std::optional<PromptRegressionFinding> detectPromptRegression(MetricsReader &reader, const PromptActivation &activation,
                                                              const PromptRegressionRule &rule, std::int64_t nowMs)
{
    if (!activation.previousSha || *activation.previousSha == activation.sha || rule.windowMs <= 0)
        return std::nullopt;
    const std::int64_t at = activation.activatedAtMs;
    const std::int64_t end = std::min(at + rule.windowMs, nowMs);
    if (end <= at)
        return std::nullopt;
    PromptRegressionFinding f;
    f.promptName = activation.name;
    f.activatedAtMs = at;
    f.activationId = activation.id;
    f.previous = measure(reader, activation.name, *activation.previousSha, at - rule.windowMs, at);
    f.current = measure(reader, activation.name, activation.sha, at, end);
    if (f.previous.requests < rule.minRequests || f.current.requests < rule.minRequests)
        return std::nullopt;
    f.errorRateWorse = f.current.errorRate > f.previous.errorRate + rule.errorRateMargin;
    f.p95Worse = f.previous.p95Ms && f.current.p95Ms && *f.current.p95Ms > *f.previous.p95Ms * (1 + rule.p95Margin);
    if (!f.errorRateWorse && !f.p95Worse)
        return std::nullopt;
    f.summary = "prompt " + activation.name + ": version " + activation.sha.substr(0, 7) + " is worse than " +
                activation.previousSha->substr(0, 7) + " (";
    if (f.errorRateWorse)
        f.summary += "error rate " + percent(f.current.errorRate) + " vs " + percent(f.previous.errorRate);
    if (f.errorRateWorse && f.p95Worse)
        f.summary += ", ";
    if (f.p95Worse)
        f.summary += "p95 " + ms(f.current.p95Ms) + " vs " + ms(f.previous.p95Ms);
    f.summary += ")";
    return f;
}

} // namespace vigil
