#pragma once
// What each rule type measures, per group, at an evaluation time: the value,
// whether it breaches, a one-line summary and the figures a page carries.

#include "alerts/alert_config.h"
#include "alerts/alert_state_machine.h"
#include "alerts/cost_caps.h"
#include "prompts/prompt_regression.h"

#include <cstdint>
#include <vector>

namespace vigil {

class MetricsReader;

struct MeasureInputs
{
    MetricsReader &metrics;
    const EffectiveCaps &caps;
    const std::vector<PromptActivation> &activations; // the latest activation of each prompt
    const std::vector<DestinationHealth> &destinations;
    const AlertSettings &settings;
    PromptRegressionRule regression; // margins ([prompts] regression_*)
};

// Observations of every group the rule sees now (breaching or not). Throws StoreError.
std::vector<Observation> measureRule(const AlertRule &rule, MeasureInputs &inputs, std::int64_t nowMs);

// The rule behind notification_failed alerts (built in, not configured).
AlertRule notificationFailedRule(const AlertSettings &settings);

// How far back a prompt activation is still checked for a regression.
inline constexpr std::int64_t kPromptRegressionLookbackMs = 24 * 3'600'000LL;

} // namespace vigil
