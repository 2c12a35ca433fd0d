#include "query/overview_query.h"

#include "util/time_range.h"

#include "alerts/cost_caps.h"
#include "store/metrics_reader.h"

namespace vigil::ui {

namespace {

WindowFigures windowFigures(MetricsReader &reader, const TimeWindow &window, const std::atomic<bool> &cancel)
{
    // Latency as `vigilctl query latency` (exact up to the exact limit, else
    // the sketch); totals and error types as `vigilctl query errors`.
    MetricsRequest request;
    request.window = window;
    request.latencyMode = LatencyMode::Auto;
    request.wantErrorTypes = true;
    const MetricsResult result = reader.query(request, &cancel);
    return result.groups.empty() ? WindowFigures{} : figuresOf(result.groups.front());
}

} // namespace

OverviewSnapshot computeOverview(MetricsReader &reader, const OverviewRequest &request,
                                 const std::atomic<bool> &cancel)
{
    OverviewSnapshot s;
    s.request = request;
    s.previousWindow = request.window.previous();
    s.lastCommitMs = reader.lastCommitMs();
    s.latestRecordMs = reader.latestRecordMs();
    s.current = windowFigures(reader, request.window, cancel);
    s.previous = windowFigures(reader, s.previousWindow, cancel);

    MetricsRequest today;
    today.window = {costDay(request.nowMs, costTimeZone(request.spendTimeZone)).fromMs, request.nowMs};
    today.latencyMode = LatencyMode::Sketch; // only the money is needed
    s.today = today.window;
    if (const MetricsResult r = reader.query(today, &cancel); !r.groups.empty()) {
        s.spendTodayUsd = r.groups.front().totals.costUsd;
        s.requestsToday = r.groups.front().totals.requests();
    }
    if (cancel.load())
        return s;

    s.movers = rankMovers(compareGroups(reader, request.window, s.previousWindow, request.moverRules, cancel),
                          request.moverRules);

    MetricsRequest trend;
    s.trendBucketMs = chooseBucketMs(request.window.lengthMs());
    trend.window = alignToBuckets(request.window, s.trendBucketMs);
    trend.groupBy = GroupBy::Bucket;
    trend.bucketMs = s.trendBucketMs;
    trend.latencyMode = LatencyMode::Sketch; // a trend line; the tiles carry the exact figures
    for (const MetricsGroup &g : reader.query(trend, &cancel).groups) {
        const WindowFigures f = figuresOf(g);
        s.trend.push_back({g.bucketMs, f.latency.p95, f.errorRate(), f.requests});
    }
    return s;
}

} // namespace vigil::ui
