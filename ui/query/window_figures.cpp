#include "query/window_figures.h"

namespace vigil::ui {

std::optional<double> WindowFigures::errorRate() const
{
    if (requests == 0)
        return std::nullopt;
    return static_cast<double>(failures()) / static_cast<double>(requests);
}

WindowFigures figuresOf(const MetricsGroup &group)
{
    WindowFigures f;
    f.requests = group.totals.requests();
    f.latency = group.latency;
    f.byOutcome = group.totals.byOutcome;
    f.errorTypes = group.errorTypes;
    f.costUsd = group.totals.costUsd;
    f.inputTokens = group.totals.inputTokens;
    f.outputTokens = group.totals.outputTokens;
    return f;
}

WindowFigures mergeSketchGroups(const std::vector<const MetricsGroup *> &groups)
{
    MetricsGroup merged;
    for (const MetricsGroup *g : groups) {
        merged.totals.merge(g->totals);
        for (const auto &[type, count] : g->errorTypes)
            merged.errorTypes[type] += count;
    }
    LatencySummary &l = merged.latency;
    l.count = merged.totals.requests();
    l.exact = false;
    if (l.count > 0) {
        l.mean = merged.totals.latencySum / static_cast<double>(l.count);
        l.p50 = merged.totals.sketch.quantile(0.50);
        l.p95 = merged.totals.sketch.quantile(0.95);
        l.p99 = merged.totals.sketch.quantile(0.99);
        l.max = merged.totals.latencyMax;
    }
    return figuresOf(merged);
}

} // namespace vigil::ui
