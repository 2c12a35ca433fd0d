#include "prompts/version_metrics.h"

#include "record/record.h"
#include "store/metrics_reader.h"
#include "store/prompt_version_seen.h"

#include <algorithm>
#include <limits>
#include <map>

namespace vigil {

namespace {

void fill(VersionMetrics &m, const MetricsGroup &g)
{
    const RollupCell &c = g.totals;
    m.requests = c.requests();
    m.p50Ms = g.latency.p50;
    m.p95Ms = g.latency.p95;
    m.exactPercentiles = g.latency.exact;
    if (m.requests == 0)
        return;
    const auto n = static_cast<double>(m.requests);
    const auto count = [&](Outcome o) { return static_cast<double>(c.byOutcome[static_cast<std::size_t>(o)]); };
    m.errorRate = (count(Outcome::Error) + count(Outcome::Timeout)) / n;
    m.fallbackRate = count(Outcome::Fallback) / n;
    if (m.requests > c.costUnknown)
        m.meanCostUsd = c.costUsd / static_cast<double>(m.requests - c.costUnknown);
}

} // namespace

std::optional<std::vector<VersionMetrics>> promptVersionMetrics(const std::string &storePath, PromptRegistry &registry,
                                                                 const std::string &name,
                                                                 const std::vector<PromptVersion> &versions,
                                                                 std::optional<TimeWindow> window,
                                                                 const std::atomic<bool> *cancel)
{
    const std::vector<StampedVersionSeen> seen = promptVersionsSeen(storePath, name);
    if (!window) {
        window = TimeWindow{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()};
        for (const auto &s : seen) {
            window->fromMs = std::min(window->fromMs, s.firstSeenMs);
            window->toMs = std::max(window->toMs, s.lastSeenMs + 1);
        }
        if (seen.empty())
            window = TimeWindow{0, 0};
    }

    // Which stamps belong to which version.
    std::vector<VersionMetrics> out;
    std::map<std::string, std::size_t> bySha;
    for (const PromptVersion &v : versions) {
        bySha.emplace(v.sha, out.size());
        VersionMetrics m;
        m.sha = v.sha;
        out.push_back(std::move(m));
    }
    for (const StampedVersionSeen &s : seen) {
        const auto version = registry.matchStamp(name, s.version);
        std::size_t index = 0;
        if (version && bySha.count(version->sha)) {
            index = bySha[version->sha];
        } else {
            index = out.size();
            VersionMetrics m;
            m.sha = version ? version->sha : s.version;
            m.known = version.has_value();
            bySha.emplace(m.sha, index);
            out.push_back(std::move(m));
        }
        VersionMetrics &m = out[index];
        m.stamps.push_back(s.version);
        m.firstSeenMs = std::min(m.firstSeenMs.value_or(s.firstSeenMs), s.firstSeenMs);
        m.lastSeenMs = std::max(m.lastSeenMs.value_or(s.lastSeenMs), s.lastSeenMs);
    }

    MetricsReader reader(storePath);
    for (VersionMetrics &m : out) {
        if (m.stamps.empty())
            continue;
        if (cancel && cancel->load())
            return std::nullopt;
        // A full SHA filter matches every SHA-prefix stamp of that version in
        // one query (exact percentiles); other stamps (tags) are merged in.
        std::vector<std::string> filters;
        if (m.known)
            filters.push_back(m.sha);
        for (const std::string &stamp : m.stamps) {
            if (!m.known || !promptVersionMatches(m.sha, stamp))
                filters.push_back(stamp);
        }
        MetricsGroup merged;
        bool first = true;
        for (const std::string &filter : filters) {
            MetricsRequest request;
            request.window = *window;
            request.filter.promptName = name;
            request.filter.promptVersion = filter;
            MetricsResult result = reader.query(request, cancel);
            if (result.cancelled)
                return std::nullopt;
            const MetricsGroup &g = result.groups.front();
            if (first) {
                merged = g;
                first = false;
            } else if (g.totals.requests() > 0) {
                merged.totals.merge(g.totals);
                merged.latency.p50 = merged.totals.sketch.quantile(0.50);
                merged.latency.p95 = merged.totals.sketch.quantile(0.95);
                merged.latency.exact = false;
            }
        }
        fill(m, merged);
    }
    return out;
}

} // namespace vigil
