#pragma once
// The overview's answer for one window, read in one go on a worker thread.

#include "metrics/time_window.h"
#include "query/movers.h"
#include "query/window_figures.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
class MetricsReader;
}

namespace vigil::ui {

struct OverviewRequest
{
    TimeWindow window;
    std::int64_t nowMs = 0;
    std::optional<double> dailyCapUsd; // none until cost caps exist
    std::string spendTimeZone = "UTC"; // [costs] time_zone: whose calendar day "today" is
    MoverRules moverRules;
};

// One bucket of the overview's trend line.
struct TrendPoint
{
    std::int64_t startMs = 0;
    std::optional<double> p95;
    std::optional<double> errorRate;
    std::uint64_t requests = 0;
};

struct OverviewSnapshot
{
    OverviewRequest request;
    TimeWindow previousWindow;
    WindowFigures current;
    WindowFigures previous;
    TimeWindow today; // the day so far in spendTimeZone
    double spendTodayUsd = 0;
    std::uint64_t requestsToday = 0;
    Movers movers;
    std::int64_t trendBucketMs = 0;
    std::vector<TrendPoint> trend;
    std::optional<std::int64_t> lastCommitMs;   // when data last arrived
    std::optional<std::int64_t> latestRecordMs; // the newest request's timestamp
};

OverviewSnapshot computeOverview(MetricsReader &reader, const OverviewRequest &request,
                                 const std::atomic<bool> &cancel);

} // namespace vigil::ui
