#pragma once
// The minutes around a prompt activation, before against after: shown on the
// Prompts page under the history, so whoever switched (or is paged after a
// switch) sees at once whether it made things better or worse. Computed on
// the page's worker from the store, never on the UI thread.

#include "store/prompt_activation_store.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

class QPalette;

namespace vigil::ui {

struct ImpactSide
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::uint64_t requests = 0;
    std::optional<double> p95Ms;
    double errorRate = 0;                   // (error + timeout) / requests, as the version figures
    std::optional<double> costPerRequestUsd; // over the requests with a known cost
};

struct ActivationImpact
{
    PromptActivation activation;
    int minutes = 15;
    ImpactSide before; // [activated - minutes, activated)
    ImpactSide after;  // [activated, activated + minutes), cut at "now"

    // Fewer requests than this on a side is noise, not a comparison.
    static constexpr std::uint64_t kMinRequests = 20;
    bool enough() const { return before.requests >= kMinRequests && after.requests >= kMinRequests; }
};

// Every call of the activation's prompt (whatever version it stamped) in the
// two windows. Throws StoreError.
ActivationImpact loadActivationImpact(const std::string &storePath, const PromptActivation &activation, int minutes,
                                      std::int64_t nowMs);

// The panel's rich text: both sides, and the change coloured worse (red) or
// better (green) with colours that read on the palette's background.
QString describeImpact(const ActivationImpact &impact, const QPalette &palette);

} // namespace vigil::ui
