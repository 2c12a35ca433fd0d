#include "query/movers.h"

#include "query/prompt_versions.h"

#include <algorithm>
#include <map>

namespace vigil::ui {

namespace {

MetricsResult queryGroups(MetricsReader &reader, const TimeWindow &window, GroupBy groupBy,
                          const std::atomic<bool> &cancel, const LabelFilter &filter = {})
{
    MetricsRequest request;
    request.window = window;
    request.groupBy = groupBy;
    request.filter = filter;
    request.latencyMode = LatencyMode::Auto;
    return reader.query(request, &cancel);
}

std::map<std::string, WindowFigures> figuresByKey(const MetricsResult &result)
{
    std::map<std::string, WindowFigures> out;
    for (const MetricsGroup &g : result.groups) {
        if (!g.keyMissing)
            out.emplace(g.key, figuresOf(g));
    }
    return out;
}

// Prompt-version groups keyed "name@canonical version": the short and the
// long form of one commit are one entry.
std::map<std::string, WindowFigures> promptVersionFigures(MetricsReader &reader, const TimeWindow &window,
                                                          const std::atomic<bool> &cancel)
{
    const MetricsResult result = queryGroups(reader, window, GroupBy::PromptVersion, cancel);
    std::map<std::string, std::vector<const MetricsGroup *>> byCommit;
    for (const MetricsGroup &g : result.groups) {
        if (g.keyMissing)
            continue;
        const PromptAndVersion pv = splitPromptKey(g.key);
        byCommit[promptKey(pv.name, canonicalPromptVersion(pv.version))].push_back(&g);
    }
    std::map<std::string, WindowFigures> out;
    for (const auto &[key, groups] : byCommit) {
        if (cancel.load())
            break;
        if (groups.size() == 1) {
            out.emplace(key, figuresOf(*groups.front()));
        } else if (groups.front()->latency.exact) {
            // Exact percentiles do not merge: ask for the commit as a whole, as
            // `vigilctl query latency --prompt name@sha` does.
            LabelFilter filter;
            const PromptAndVersion pv = splitPromptKey(key);
            filter.promptName = pv.name;
            filter.promptVersion = pv.version;
            const MetricsResult one = queryGroups(reader, window, GroupBy::None, cancel, filter);
            if (!one.groups.empty())
                out.emplace(key, figuresOf(one.groups.front()));
        } else {
            out.emplace(key, mergeSketchGroups(groups));
        }
    }
    return out;
}

} // namespace

QString dimensionName(MoverDimension dimension)
{
    switch (dimension) {
    case MoverDimension::Provider: return QStringLiteral("provider");
    case MoverDimension::Model: return QStringLiteral("model");
    case MoverDimension::Tenant: return QStringLiteral("tenant");
    case MoverDimension::PromptVersion: return QStringLiteral("prompt version");
    }
    return {};
}

std::vector<GroupComparison> compareGroups(MetricsReader &reader, const TimeWindow &now,
                                           const TimeWindow &before, const MoverRules &rules,
                                           const std::atomic<bool> &cancel)
{
    std::vector<GroupComparison> out;
    const std::pair<MoverDimension, GroupBy> plain[] = {{MoverDimension::Provider, GroupBy::Provider},
                                                        {MoverDimension::Model, GroupBy::Model},
                                                        {MoverDimension::Tenant, GroupBy::Tenant}};
    for (const auto &[dimension, groupBy] : plain) {
        if (cancel.load())
            return out;
        const auto nowFigures = figuresByKey(queryGroups(reader, now, groupBy, cancel));
        const auto beforeFigures = figuresByKey(queryGroups(reader, before, groupBy, cancel));
        for (const auto &[key, figures] : nowFigures) {
            GroupComparison c{dimension, key, figures, {}, false};
            if (auto it = beforeFigures.find(key); it != beforeFigures.end())
                c.before = it->second;
            out.push_back(std::move(c));
        }
    }
    if (cancel.load())
        return out;

    const auto versionsNow = promptVersionFigures(reader, now, cancel);
    const auto versionsBefore = promptVersionFigures(reader, before, cancel);
    const auto promptsBefore = figuresByKey(queryGroups(reader, before, GroupBy::Prompt, cancel));
    for (const auto &[key, figures] : versionsNow) {
        GroupComparison c{MoverDimension::PromptVersion, key, figures, {}, false};
        if (auto it = versionsBefore.find(key); it != versionsBefore.end() && it->second.requests >= rules.minRequests) {
            c.before = it->second;
        } else if (auto p = promptsBefore.find(splitPromptKey(key).name); p != promptsBefore.end()) {
            // A version that just went live: its prompt before is the baseline
            // (a bad deploy shows as the new version being worse than the old).
            c.before = p->second;
            c.baselineIsPrompt = true;
        }
        out.push_back(std::move(c));
    }
    return out;
}

Movers rankMovers(const std::vector<GroupComparison> &groups, const MoverRules &rules)
{
    Movers movers;
    for (const GroupComparison &g : groups) {
        if (g.now.requests < rules.minRequests || g.before.requests < rules.minRequests)
            continue;
        Mover base;
        base.dimension = g.dimension;
        base.key = g.key;
        base.requests = g.now.requests;
        base.baselineRequests = g.before.requests;
        base.baselineIsPrompt = g.baselineIsPrompt;

        if (g.now.latency.p95 && g.before.latency.p95 && *g.before.latency.p95 > 0) {
            Mover m = base;
            m.metric = MoverMetric::P95Latency;
            m.value = g.now.latency.p95;
            m.baseline = g.before.latency.p95;
            m.change = *m.value / *m.baseline - 1;
            if (m.change >= rules.minLatencyChange)
                movers.latency.push_back(std::move(m));
        }
        const auto rateNow = g.now.errorRate(), rateBefore = g.before.errorRate();
        if (rateNow && rateBefore && g.now.failures() >= rules.minFailures) {
            Mover m = base;
            m.metric = MoverMetric::ErrorRate;
            m.value = rateNow;
            m.baseline = rateBefore;
            m.change = *rateNow - *rateBefore;
            if (m.change >= rules.minErrorChange)
                movers.errors.push_back(std::move(m));
        }
    }
    const auto worseFirst = [](const Mover &a, const Mover &b) {
        return a.change != b.change ? a.change > b.change : a.key < b.key;
    };
    for (auto *list : {&movers.latency, &movers.errors}) {
        std::sort(list->begin(), list->end(), worseFirst);
        if (list->size() > rules.limit)
            list->resize(rules.limit);
    }
    return movers;
}

} // namespace vigil::ui
