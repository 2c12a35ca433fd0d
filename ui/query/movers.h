#pragma once
// Top movers: the providers, models, tenants and prompt versions whose p95
// latency or error rate got worse than in the window before. The 2am question
// after "is it bad?" is "where?", and this answers it without a filter.

#include "metrics/time_window.h"
#include "query/window_figures.h"

#include <QString>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
class MetricsReader;
}

namespace vigil::ui {

enum class MoverDimension { Provider, Model, Tenant, PromptVersion };
enum class MoverMetric { P95Latency, ErrorRate };

QString dimensionName(MoverDimension dimension); // "provider", "model", "tenant", "prompt version"

struct MoverRules
{
    std::uint64_t minRequests = 50;  // in each window: fewer is noise
    double minLatencyChange = 0.10;  // p95 at least 10% worse
    double minErrorChange = 0.005;   // error rate at least 0.5 points worse
    std::uint64_t minFailures = 5;
    std::size_t limit = 6;
};

// One group's figures in the window and in the window before. A prompt
// version that was not live before is compared with its prompt as a whole.
struct GroupComparison
{
    MoverDimension dimension = MoverDimension::Model;
    std::string key;
    WindowFigures now;
    WindowFigures before;
    bool baselineIsPrompt = false;
};

struct Mover
{
    MoverMetric metric = MoverMetric::P95Latency;
    MoverDimension dimension = MoverDimension::Model;
    std::string key;
    std::uint64_t requests = 0;
    std::uint64_t baselineRequests = 0;
    std::optional<double> value;    // p95 in ms, or the error rate
    std::optional<double> baseline;
    double change = 0;              // relative for latency (0.9 = +90%), absolute for errors (0.11 = +11 pp)
    bool baselineIsPrompt = false;
};

struct Movers
{
    std::vector<Mover> latency;
    std::vector<Mover> errors;
};

// Reads every group of both windows (latency exact where vigilctl's would be).
std::vector<GroupComparison> compareGroups(MetricsReader &reader, const TimeWindow &now,
                                           const TimeWindow &before, const MoverRules &rules,
                                           const std::atomic<bool> &cancel);

// The worst first, at most rules.limit of each.
Movers rankMovers(const std::vector<GroupComparison> &groups, const MoverRules &rules);

} // namespace vigil::ui
