#pragma once

#include "store/prompt_activation_store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

class MetricsReader;

// When a new prompt version counts as worse than the one it replaced
// ([prompts] regression_* in vigil.toml).
struct PromptRegressionRule
{
    std::int64_t windowMs = 15 * 60'000; // compared: this long after the activation vs this long before
    double errorRateMargin = 0.02;       // absolute: 0.02 = two percentage points worse
    double p95Margin = 0.25;             // relative: 0.25 = p95 25% slower
    std::uint64_t minRequests = 50;      // on each side, or no verdict
};

struct VersionWindowFigures
{
    std::string sha;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::uint64_t requests = 0;
    double errorRate = 0; // (error + timeout) / requests
    std::optional<double> p95Ms;
};

// The `prompt_regression` alert's condition, for the alerts evaluator to call
// (the evaluator itself is the alerts issue's work): after an activation, the
// new version's error rate or p95 is worse than the previous version's by the
// rule's margin. The new version is measured over [activated, activated +
// window) (cut at `nowMs`), the previous one over [activated - window,
// activated). The finding names both versions.
struct PromptRegressionFinding
{
    std::string promptName;
    std::int64_t activatedAtMs = 0;
    std::int64_t activationId = 0;
    VersionWindowFigures previous;
    VersionWindowFigures current;
    bool errorRateWorse = false;
    bool p95Worse = false;
    std::string summary; // one line for the alert, naming both versions
    std::string runbook = "runbooks/bad-prompt-deploy.md";
};

// Nothing when the activation has no previous version, when either side has
// fewer than minRequests requests, or when neither figure is worse by its
// margin. Throws StoreError.
std::optional<PromptRegressionFinding> detectPromptRegression(MetricsReader &reader, const PromptActivation &activation,
                                                              const PromptRegressionRule &rule, std::int64_t nowMs);

} // namespace vigil
