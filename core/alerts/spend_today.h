#pragma once
// The day's spend against the caps: for the Costs page, the budget endpoint
// and the cost alerts. Read from the rollups, so it costs a few row reads
// however busy the day was.

#include "alerts/cost_caps.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

class MetricsReader;

enum class CapLevel { Ok, Warn, Over }; // below the warning share, at or above it, at or above the cap
std::string_view capLevelName(CapLevel level);
CapLevel capLevel(double spentUsd, std::optional<double> capUsd, double warnShare);

struct TenantSpend
{
    std::string tenant;
    double spentUsd = 0;
    std::uint64_t requests = 0;
    double projectedUsd = 0; // at the end of the day, at the last hour's rate
    std::optional<EffectiveCap> cap;
    CapLevel level = CapLevel::Ok;
};

struct SpendToday
{
    TimeWindow day;            // in UTC ms; the calendar day of the caps' time zone
    std::int64_t nowMs = 0;
    double warnShare = 0.8;
    double totalUsd = 0;
    double projectedUsd = 0;   // end of day at the last hour's rate
    std::optional<EffectiveCap> dailyCap;
    CapLevel dailyLevel = CapLevel::Ok;
    std::vector<TenantSpend> tenants; // every tenant with spend today or its own cap, most spent first
};

// Spent so far plus the recent rate carried to the end of the day: the rate
// over the last hour (or since the day began, when that is shorter).
double projectEndOfDay(double spentUsd, double recentUsd, std::int64_t recentMs, std::int64_t remainingMs);

// Throws StoreError.
SpendToday spendToday(MetricsReader &reader, const EffectiveCaps &caps, std::int64_t nowMs);

// GET /v1/budget/{tenant}: may the service spend more for `tenant` today?
struct BudgetAnswer
{
    std::string tenant;
    TimeWindow day;
    double spentUsd = 0;
    std::optional<double> capUsd;       // nothing: no cap applies (allowed)
    std::optional<double> remainingUsd; // cap - spent, never below 0
    bool allow = true;                  // false once the tenant's cap or the daily cap is reached
    std::string reason;                 // why not, when refused
    double dailySpentUsd = 0;
    std::optional<double> dailyCapUsd;
    double warnShare = 0.8;
};

BudgetAnswer budgetFor(MetricsReader &reader, const EffectiveCaps &caps, const std::string &tenant, std::int64_t nowMs);

} // namespace vigil
