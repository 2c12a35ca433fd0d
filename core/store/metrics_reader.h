#pragma once

#include "metrics/time_window.h"
#include "store/labels.h"
#include "store/rollup_accumulator.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

enum class GroupBy {
    None, Tenant, Model, Provider, Prompt, PromptVersion, Minute, Hour, Day,
    Bucket, // time buckets of MetricsRequest::bucketMs (a whole number of minutes)
};
std::optional<GroupBy> groupByFromName(std::string_view name);
std::string_view groupByName(GroupBy groupBy);
bool isTimeGrouping(GroupBy groupBy);

enum class LatencyMode {
    Auto,   // exact when the window holds few enough requests, else the sketch
    Exact,  // always exact (reads every latency in the window)
    Sketch, // always the rollup sketch (<= 1% relative error)
};

struct LatencySummary
{
    std::uint64_t count = 0;
    std::optional<double> p50, p95, p99, max, mean;
    bool exact = true;
};

struct MetricsGroup
{
    std::string key;          // label value, "prompt@version", or bucket start (RFC 3339)
    std::int64_t bucketMs = 0; // for time groupings
    bool keyMissing = false;  // the label was not reported (e.g. no provider)
    RollupCell totals;        // counts, tokens, cost, retrieval, sketch
    std::map<std::string, std::uint64_t> errorTypes;
    LatencySummary latency;
};

struct MetricsRequest
{
    TimeWindow window;
    LabelFilter filter;
    GroupBy groupBy = GroupBy::None;
    std::int64_t bucketMs = 0; // for GroupBy::Bucket: e.g. 5 minutes for a dashboard
    LatencyMode latencyMode = LatencyMode::Auto;
    bool wantErrorTypes = false;
    // False when only counts by outcome, latency, cost_usd and (if wanted)
    // error types matter, as for an alert rule: the rows of partial minutes
    // are then read from the ts index alone, several times faster, and their
    // tokens, retrieval figures and computed-cost share are left out.
    bool wantTokensAndRetrieval = true;
};

struct MetricsResult
{
    std::vector<MetricsGroup> groups; // one group with an empty key when ungrouped
    bool cancelled = false;
};

// Answers latency, spend and error questions for any window from the rollup
// tables (hour rows for whole hours, minute rows for whole minutes) plus raw
// requests for partial minutes at the edges, so the figures are exact counts
// and sums for any [from, to). Percentiles are exact nearest-rank when the
// window holds at most exactLimit() requests (or when asked), else from the
// merged sketches. Owns one read connection; use from one thread at a time.
class MetricsReader final
{
public:
    // Throws StoreError (NotFound when no store exists at the path).
    explicit MetricsReader(const std::string &storePath);
    ~MetricsReader();
    MetricsReader(const MetricsReader &) = delete;
    MetricsReader &operator=(const MetricsReader &) = delete;

    MetricsResult query(const MetricsRequest &request, const std::atomic<bool> *cancel = nullptr);

    static std::uint64_t exactLimit();

    // Every label combination seen, for filter pickers.
    std::vector<Labels> labels();
    std::int64_t totalRequests();
    std::optional<std::int64_t> lastCommitMs();   // when data last arrived
    std::optional<std::int64_t> latestRecordMs(); // newest request timestamp

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
