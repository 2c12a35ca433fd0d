#pragma once
// When a number on the overview turns amber or red. Absolute limits catch a
// system that is bad in itself; change limits catch one that got worse than
// the window before, which is what a page at 2am is usually about.

#include <cstdint>
#include <optional>

namespace vigil::ui {

enum class Severity { Unknown, Good, Warning, Bad };

struct Thresholds
{
    double p95WarnMs = 3000;
    double p95BadMs = 6000;
    double p50WarnMs = 1500;
    double p50BadMs = 3000;
    double latencyChangeWarn = 0.25; // +25% against the previous window
    double latencyChangeBad = 0.50;
    double errorRateWarn = 0.02;
    double errorRateBad = 0.05;
    double errorPointsWarn = 0.01; // +1 percentage point against the previous window
    double errorPointsBad = 0.03;
    double capShareWarn = 0.80;    // spend today against the daily cap
    double capShareBad = 1.00;
    std::int64_t staleAfterMs = 5 * 60'000; // no data for this long: say so

    Severity latency(std::optional<double> ms, std::optional<double> previousMs, double warnMs,
                     double badMs) const;
    Severity errorRate(std::optional<double> rate, std::optional<double> previousRate) const;
    Severity spend(double spentUsd, std::optional<double> dailyCapUsd) const;
};

Severity worst(Severity a, Severity b);

} // namespace vigil::ui
