#pragma once
// How the console writes numbers and times. Latency, money and counts are
// written exactly as vigilctl writes them, so a figure read off the window can
// be compared with `vigilctl query` by eye.

#include <QString>

#include <cstdint>
#include <optional>

namespace vigil::ui {

QString formatMs(std::optional<double> ms);         // "876 ms", "2.57 ms", "30.0 s", "-"
QString formatUsd(double usd);                      // "$0.7657", "$12.34"
QString formatCount(long long value);               // "149,920"
QString formatPercent(std::optional<double> ratio); // 0.0703 -> "7.03%"; "-" when unknown
// Relative change of `now` against `before`: "+92%", "-4%", "new" or "".
QString formatRelativeChange(std::optional<double> now, std::optional<double> before);
// Change of a ratio in percentage points: "+11.2 pp".
QString formatPointChange(std::optional<double> now, std::optional<double> before);
QString formatClock(std::int64_t epochMs);                  // local "14:05:09"
QString formatDateTime(std::int64_t epochMs);               // local "Nov 27 14:05"
QString formatAge(std::int64_t ageMs);                      // "12 s", "5 min", "3 h 10 min", "2 d"
QString formatWindow(std::int64_t fromMs, std::int64_t toMs); // "13:05 – 14:05"

} // namespace vigil::ui
