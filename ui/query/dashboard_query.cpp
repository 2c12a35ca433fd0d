#include "query/dashboard_query.h"

#include "store/metrics_reader.h"

#include <algorithm>
#include <map>

namespace vigil::ui {

std::optional<double> DashboardBucket::errorRate() const
{
    if (requests == 0)
        return std::nullopt;
    return static_cast<double>(requests - byOutcome[0]) / static_cast<double>(requests);
}

std::optional<double> DashboardBucket::hitsPerRetrieval() const
{
    if (retrievalRequests == 0)
        return std::nullopt;
    return static_cast<double>(retrievalHits) / static_cast<double>(retrievalRequests);
}

std::optional<double> DashboardBucket::emptyRetrievalShare() const
{
    if (retrievalRequests == 0)
        return std::nullopt;
    return static_cast<double>(retrievalEmpty) / static_cast<double>(retrievalRequests);
}

const DashboardBucket *DashboardSnapshot::bucketAt(std::int64_t ms) const
{
    if (buckets.empty() || request.bucketMs <= 0 || ms < buckets.front().startMs)
        return nullptr;
    const auto index = static_cast<std::size_t>((ms - buckets.front().startMs) / request.bucketMs);
    return index < buckets.size() ? &buckets[index] : nullptr;
}

DashboardSnapshot computeDashboard(MetricsReader &reader, const DashboardRequest &request,
                                   const std::atomic<bool> &cancel)
{
    DashboardSnapshot s;
    s.request = request;

    MetricsRequest series;
    series.window = request.window;
    series.filter = request.filter;
    series.groupBy = GroupBy::Bucket;
    series.bucketMs = request.bucketMs;
    series.latencyMode = LatencyMode::Auto;
    const MetricsResult result = reader.query(series, &cancel);
    if (result.cancelled)
        return s;

    std::map<std::int64_t, const MetricsGroup *> byStart;
    std::vector<const MetricsGroup *> all;
    for (const MetricsGroup &g : result.groups) {
        byStart.emplace(g.bucketMs, &g);
        all.push_back(&g);
        s.latencyExact = s.latencyExact && g.latency.exact;
    }
    for (std::int64_t start = request.window.fromMs; start < request.window.toMs; start += request.bucketMs) {
        DashboardBucket b;
        b.startMs = start;
        if (auto it = byStart.find(start); it != byStart.end()) {
            const MetricsGroup &g = *it->second;
            const RollupCell &c = g.totals;
            b.requests = c.requests();
            b.byOutcome = c.byOutcome;
            b.p50 = g.latency.p50;
            b.p95 = g.latency.p95;
            b.p99 = g.latency.p99;
            b.costUsd = c.costUsd;
            b.inputTokens = c.inputTokens;
            b.outputTokens = c.outputTokens;
            b.retrievalRequests = c.retrievalRequests;
            b.retrievalHits = c.retrievalHits;
            b.retrievalEmpty = c.retrievalEmpty;
        }
        s.buckets.push_back(b);
    }
    s.totals = mergeSketchGroups(all);

    MetricsRequest tenants;
    tenants.window = request.window;
    tenants.filter = request.filter;
    tenants.groupBy = GroupBy::Tenant;
    tenants.latencyMode = LatencyMode::Sketch;
    MetricsResult byTenant = reader.query(tenants, &cancel);
    std::vector<TenantSpend> spend;
    for (const MetricsGroup &g : byTenant.groups)
        spend.push_back({g.key, g.totals.costUsd, g.totals.requests(), 0});
    std::sort(spend.begin(), spend.end(), [](const TenantSpend &a, const TenantSpend &b) {
        return a.costUsd != b.costUsd ? a.costUsd > b.costUsd : a.tenant < b.tenant;
    });
    if (spend.size() > request.topTenants + 1) {
        TenantSpend rest;
        for (std::size_t i = request.topTenants; i < spend.size(); ++i) {
            rest.costUsd += spend[i].costUsd;
            rest.requests += spend[i].requests;
            ++rest.tenantsInRest;
        }
        spend.resize(request.topTenants);
        spend.push_back(rest);
    }
    s.spendByTenant = std::move(spend);
    return s;
}

} // namespace vigil::ui
