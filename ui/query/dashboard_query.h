#pragma once
// The dashboard's series for one window, bucket size and filter.

#include "metrics/time_window.h"
#include "query/window_figures.h"
#include "store/labels.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
class MetricsReader;
}

namespace vigil::ui {

struct DashboardRequest
{
    TimeWindow window; // starts on a bucket boundary
    std::int64_t bucketMs = 60'000;
    LabelFilter filter;
    std::size_t topTenants = 6;
};

struct DashboardBucket
{
    std::int64_t startMs = 0;
    std::uint64_t requests = 0;
    std::array<std::uint64_t, kOutcomeCount> byOutcome{};
    std::optional<double> p50, p95, p99;
    double costUsd = 0;
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    std::uint64_t retrievalRequests = 0;
    std::uint64_t retrievalHits = 0;
    std::uint64_t retrievalEmpty = 0;

    std::optional<double> errorRate() const;
    std::optional<double> hitsPerRetrieval() const;
    std::optional<double> emptyRetrievalShare() const;
};

struct TenantSpend
{
    std::string tenant; // empty for the rest
    double costUsd = 0;
    std::uint64_t requests = 0;
    std::size_t tenantsInRest = 0;
};

struct DashboardSnapshot
{
    DashboardRequest request;
    std::vector<DashboardBucket> buckets; // every bucket of the window, empty ones included
    std::vector<TenantSpend> spendByTenant; // top N by spend, then the rest
    WindowFigures totals;                   // the whole window (latency from the sketches)
    bool latencyExact = true;

    // The bucket that holds `ms`, or null.
    const DashboardBucket *bucketAt(std::int64_t ms) const;
};

DashboardSnapshot computeDashboard(MetricsReader &reader, const DashboardRequest &request,
                                   const std::atomic<bool> &cancel);

} // namespace vigil::ui
