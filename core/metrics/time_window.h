#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// A half-open query window [fromMs, toMs) in UTC epoch milliseconds.
struct TimeWindow
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::int64_t lengthMs() const { return toMs - fromMs; }
    bool contains(std::int64_t ts) const { return ts >= fromMs && ts < toMs; }
    // The window of the same length just before this one.
    TimeWindow previous() const { return {fromMs - lengthMs(), fromMs}; }
};

// "90s", "15m", "1h", "24h", "7d", "2w", "1h30m", or plain milliseconds "5000ms".
std::optional<std::int64_t> parseDurationMs(std::string_view text);

// RFC 3339 text, or epoch milliseconds as digits, or "now" (= nowMs).
std::optional<std::int64_t> parseTimePointMs(std::string_view text, std::int64_t nowMs);

std::int64_t currentTimeMs();

} // namespace vigil
