#pragma once

#include "metrics/time_window.h"
#include "prompts/prompt_registry.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

class MetricsReader;

// Live figures of one prompt version from the records.
struct VersionMetrics
{
    std::string sha;          // the version's full SHA, or the stamp itself when unknown
    bool known = true;        // false: records stamp a version the repository does not list
    std::vector<std::string> stamps; // the prompt_version strings counted here
    std::uint64_t requests = 0;
    std::optional<double> p50Ms;
    std::optional<double> p95Ms;
    bool exactPercentiles = true;
    double errorRate = 0;    // (error + timeout) / requests
    double fallbackRate = 0; // fallback / requests
    std::optional<double> meanCostUsd; // over requests with a known cost
    std::optional<std::int64_t> firstSeenMs;
    std::optional<std::int64_t> lastSeenMs;
};

// Per-version metrics of a prompt for the Prompts page (run it on a worker:
// it reads the store and the repository). Every prompt_version stamped on the
// prompt's records is matched to a version (SHA prefix or tag); the versions
// of `versions` come first in their order (with zero requests when unseen),
// then stamps no version matches. `window` nothing: all the records.
// Returns nothing when cancelled. Throws StoreError and PromptError.
std::optional<std::vector<VersionMetrics>> promptVersionMetrics(
    const std::string &storePath, PromptRegistry &registry, const std::string &name,
    const std::vector<PromptVersion> &versions, std::optional<TimeWindow> window = std::nullopt,
    const std::atomic<bool> *cancel = nullptr);

} // namespace vigil
