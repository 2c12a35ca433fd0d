#pragma once

#include "store/metrics_reader.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vigil::ui {

// The headline figures of one set of requests (a window, a group, a bucket):
// what the overview shows and what `vigilctl query` prints for the same set.
struct WindowFigures
{
    std::uint64_t requests = 0;
    LatencySummary latency;
    std::array<std::uint64_t, kOutcomeCount> byOutcome{};
    std::map<std::string, std::uint64_t> errorTypes;
    double costUsd = 0;
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;

    // Outcomes other than ok over all requests, as `vigilctl query errors`.
    std::optional<double> errorRate() const;
    std::uint64_t failures() const { return requests - byOutcome[0]; }
};

WindowFigures figuresOf(const MetricsGroup &group);

// Figures of merged groups whose latency came from sketches: adds the totals
// and reads the percentiles off the merged sketch (as the store would).
WindowFigures mergeSketchGroups(const std::vector<const MetricsGroup *> &groups);

} // namespace vigil::ui
