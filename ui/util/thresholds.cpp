#include "util/thresholds.h"

#include <algorithm>

namespace vigil::ui {

namespace {
Severity byLimit(double value, double warn, double bad)
{
    return value >= bad ? Severity::Bad : value >= warn ? Severity::Warning : Severity::Good;
}
} // namespace

Severity worst(Severity a, Severity b)
{
    return static_cast<Severity>(std::max(static_cast<int>(a), static_cast<int>(b)));
}

Severity Thresholds::latency(std::optional<double> ms, std::optional<double> previousMs, double warnMs,
                             double badMs) const
{
    if (!ms)
        return Severity::Unknown;
    Severity s = byLimit(*ms, warnMs, badMs);
    if (previousMs && *previousMs > 0)
        s = worst(s, byLimit(*ms / *previousMs - 1, latencyChangeWarn, latencyChangeBad));
    return s;
}

Severity Thresholds::errorRate(std::optional<double> rate, std::optional<double> previousRate) const
{
    if (!rate)
        return Severity::Unknown;
    Severity s = byLimit(*rate, errorRateWarn, errorRateBad);
    if (previousRate)
        s = worst(s, byLimit(*rate - *previousRate, errorPointsWarn, errorPointsBad));
    return s;
}

Severity Thresholds::spend(double spentUsd, std::optional<double> dailyCapUsd) const
{
    if (!dailyCapUsd || *dailyCapUsd <= 0)
        return Severity::Unknown;
    return byLimit(spentUsd / *dailyCapUsd, capShareWarn, capShareBad);
}

} // namespace vigil::ui
