#include "alerts/spend_today.h"

#include "store/metrics_reader.h"

#include <algorithm>
#include <map>

namespace vigil {

namespace {

MetricsRequest costRequest(TimeWindow window, GroupBy groupBy)
{
    MetricsRequest request;
    request.window = window;
    request.groupBy = groupBy;
    request.latencyMode = LatencyMode::Sketch; // latency is not asked for: the cheapest mode
    return request;
}

TimeWindow recentWindow(const TimeWindow &day, std::int64_t nowMs)
{
    return {std::max(day.fromMs, nowMs - kHourMs), nowMs};
}

} // namespace

std::string_view capLevelName(CapLevel level)
{
    switch (level) {
    case CapLevel::Ok: return "ok";
    case CapLevel::Warn: return "warn";
    case CapLevel::Over: return "over";
    }
    return "ok";
}

CapLevel capLevel(double spentUsd, std::optional<double> capUsd, double warnShare)
{
    if (!capUsd)
        return CapLevel::Ok;
    if (spentUsd >= *capUsd)
        return CapLevel::Over;
    if (spentUsd >= *capUsd * warnShare)
        return CapLevel::Warn;
    return CapLevel::Ok;
}

double projectEndOfDay(double spentUsd, double recentUsd, std::int64_t recentMs, std::int64_t remainingMs)
{
    if (recentMs <= 0 || remainingMs <= 0)
        return spentUsd;
    return spentUsd + recentUsd / static_cast<double>(recentMs) * static_cast<double>(remainingMs);
}

SpendToday spendToday(MetricsReader &reader, const EffectiveCaps &caps, std::int64_t nowMs)
{
    SpendToday out;
    out.day = costDay(nowMs, caps.zone);
    out.nowMs = nowMs;
    out.warnShare = caps.warnShare;
    out.dailyCap = caps.daily;
    const TimeWindow soFar{out.day.fromMs, std::max(out.day.fromMs, nowMs)};
    const TimeWindow recent = recentWindow(out.day, nowMs);
    const std::int64_t remaining = out.day.toMs - nowMs;

    std::map<std::string, TenantSpend> byTenant;
    for (const MetricsGroup &g : reader.query(costRequest(soFar, GroupBy::Tenant)).groups) {
        TenantSpend &t = byTenant[g.key];
        t.tenant = g.key;
        t.spentUsd = g.totals.costUsd;
        t.requests = g.totals.requests();
        out.totalUsd += g.totals.costUsd;
    }
    double recentTotal = 0;
    if (recent.lengthMs() > 0) {
        for (const MetricsGroup &g : reader.query(costRequest(recent, GroupBy::Tenant)).groups) {
            recentTotal += g.totals.costUsd;
            if (auto it = byTenant.find(g.key); it != byTenant.end())
                it->second.projectedUsd = projectEndOfDay(it->second.spentUsd, g.totals.costUsd, recent.lengthMs(), remaining);
        }
    }
    for (const auto &[tenant, cap] : caps.tenants) {
        if (!byTenant.count(tenant))
            byTenant[tenant].tenant = tenant;
    }
    for (auto &[tenant, t] : byTenant) {
        if (t.projectedUsd < t.spentUsd)
            t.projectedUsd = t.spentUsd;
        t.cap = caps.capFor(tenant);
        t.level = capLevel(t.spentUsd, t.cap ? std::optional<double>(t.cap->usd) : std::nullopt, caps.warnShare);
        out.tenants.push_back(t);
    }
    std::sort(out.tenants.begin(), out.tenants.end(), [](const TenantSpend &a, const TenantSpend &b) {
        return a.spentUsd != b.spentUsd ? a.spentUsd > b.spentUsd : a.tenant < b.tenant;
    });
    out.projectedUsd = projectEndOfDay(out.totalUsd, recentTotal, recent.lengthMs(), remaining);
    out.dailyLevel = capLevel(out.totalUsd, caps.daily ? std::optional<double>(caps.daily->usd) : std::nullopt,
                              caps.warnShare);
    return out;
}

BudgetAnswer budgetFor(MetricsReader &reader, const EffectiveCaps &caps, const std::string &tenant, std::int64_t nowMs)
{
    BudgetAnswer a;
    a.tenant = tenant;
    a.day = costDay(nowMs, caps.zone);
    a.warnShare = caps.warnShare;
    const TimeWindow soFar{a.day.fromMs, std::max(a.day.fromMs, nowMs)};
    MetricsRequest request = costRequest(soFar, GroupBy::Tenant);
    for (const MetricsGroup &g : reader.query(request).groups) {
        a.dailySpentUsd += g.totals.costUsd;
        if (g.key == tenant)
            a.spentUsd = g.totals.costUsd;
    }
    if (const auto cap = caps.capFor(tenant)) {
        a.capUsd = cap->usd;
        a.remainingUsd = std::max(0.0, cap->usd - a.spentUsd);
        if (a.spentUsd >= cap->usd) {
            a.allow = false;
            a.reason = "tenant cap reached";
        }
    }
    if (caps.daily) {
        a.dailyCapUsd = caps.daily->usd;
        if (a.dailySpentUsd >= caps.daily->usd && a.allow) {
            a.allow = false;
            a.reason = "daily cap reached";
        }
    }
    return a;
}

} // namespace vigil
