// Milliseconds of the metrics queries behind `vigilctl query`, measured in
// process through MetricsReader::query (no process start, no printing).
//
// Usage: vigil_query_bench STORE NOW [RUNS]
//   STORE  a Vigil store (e.g. one `vigilctl ingest` filled)
//   NOW    the "now" of the queries: RFC 3339 or epoch milliseconds
//   RUNS   warm runs per query (default 7)
//
// For each query: "first" is the first run on a freshly opened reader (its own
// connection, empty SQLite cache, labels not loaded yet; the OS page cache is
// whatever it is), "warm" the median and minimum of RUNS further runs on that
// reader. latency queries are run in the mode vigilctl uses (auto: exact up to
// MetricsReader::exactLimit() requests, else the sketch) and forced to each
// path; spend and errors run as vigilctl runs them (no percentiles).
// Output: one tab-separated line per query, after a header line.
#include "metrics/time_window.h"
#include "store/metrics_reader.h"
#include "store/store_error.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct QuerySpec
{
    const char *kind; // latency, spend, errors
    const char *args; // as on the vigilctl command line
    std::int64_t sinceMs;
    vigil::GroupBy groupBy;
    vigil::LatencyMode mode;
    const char *path; // auto, exact, sketch, rollups
};

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

vigil::MetricsRequest requestFor(const QuerySpec &spec, std::int64_t now)
{
    vigil::MetricsRequest r;
    r.window = {now - spec.sinceMs, now};
    r.groupBy = spec.groupBy;
    r.latencyMode = spec.mode;
    r.wantErrorTypes = std::string(spec.kind) == "errors";
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: vigil_query_bench STORE NOW [RUNS]\n");
        return 2;
    }
    const std::string store = argv[1];
    const auto now = vigil::parseTimePointMs(argv[2], vigil::currentTimeMs());
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 7;
    if (!now) {
        std::fprintf(stderr, "vigil_query_bench: NOW \"%s\" is not a time\n", argv[2]);
        return 2;
    }
    constexpr std::int64_t h = 3'600'000, d = 24 * h;
    using G = vigil::GroupBy;
    using M = vigil::LatencyMode;
    const std::vector<QuerySpec> specs = {
        {"latency", "--since 1h", h, G::None, M::Auto, "auto"},
        {"latency", "--since 1h", h, G::None, M::Exact, "exact"},
        {"latency", "--since 1h", h, G::None, M::Sketch, "sketch"},
        {"latency", "--since 7d --by model", 7 * d, G::Model, M::Auto, "auto"},
        {"latency", "--since 7d --by model", 7 * d, G::Model, M::Exact, "exact"},
        {"latency", "--since 7d --by model", 7 * d, G::Model, M::Sketch, "sketch"},
        {"latency", "--since 24h --by minute", d, G::Minute, M::Auto, "auto"},
        {"latency", "--since 24h --by minute", d, G::Minute, M::Exact, "exact"},
        {"latency", "--since 24h --by minute", d, G::Minute, M::Sketch, "sketch"},
        {"spend", "--since 1h", h, G::None, M::Sketch, "rollups"},
        {"spend", "--since 7d --by model", 7 * d, G::Model, M::Sketch, "rollups"},
        {"spend", "--since 24h --by minute", d, G::Minute, M::Sketch, "rollups"},
        {"errors", "--since 1h", h, G::None, M::Sketch, "rollups"},
        {"errors", "--since 7d --by model", 7 * d, G::Model, M::Sketch, "rollups"},
        {"errors", "--since 24h --by minute", d, G::Minute, M::Sketch, "rollups"},
    };
    std::printf("kind\tquery\tpath\tfirst_ms\twarm_median_ms\twarm_min_ms\trequests\tgroups\texact\n");
    try {
        for (const QuerySpec &spec : specs) {
            const vigil::MetricsRequest request = requestFor(spec, *now);
            auto t0 = Clock::now();
            vigil::MetricsReader reader(store);
            vigil::MetricsResult result = reader.query(request);
            const double first = msSince(t0);
            std::vector<double> warm;
            for (int i = 0; i < runs; ++i) {
                t0 = Clock::now();
                result = reader.query(request);
                warm.push_back(msSince(t0));
            }
            std::sort(warm.begin(), warm.end());
            std::uint64_t requests = 0;
            for (const auto &g : result.groups)
                requests += g.totals.requests();
            const bool exact = !result.groups.empty() && result.groups.front().latency.exact;
            const bool isLatency = std::string(spec.kind) == "latency";
            std::printf("%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%llu\t%zu\t%s\n", spec.kind, spec.args,
                        spec.path, first, warm[warm.size() / 2], warm.front(),
                        static_cast<unsigned long long>(requests), result.groups.size(),
                        isLatency ? (exact ? "yes" : "no") : "-");
            std::fflush(stdout);
        }
    } catch (const vigil::StoreError &e) {
        std::fprintf(stderr, "vigil_query_bench: %s\n", e.what());
        return 3;
    }
    return 0;
}
