#pragma once
// Timestamps: RFC 3339 text with any offset, or Unix epoch milliseconds, to UTC
// epoch milliseconds and back. No time zone database is involved.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Parses `2026-11-27T02:13:04.123Z`, `2026-11-27T04:13:04+02:00`, a space or a
// lowercase `t` in place of `T`, any number of fraction digits (truncated to
// milliseconds). Returns nothing when the text is not a valid RFC 3339 time.
std::optional<std::int64_t> parseRfc3339Ms(std::string_view text);

// `2026-11-27T02:13:04.123Z` (always UTC, always milliseconds).
std::string formatRfc3339Ms(std::int64_t epochMs);

// Days since 1970-01-01 for a proleptic Gregorian date.
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

} // namespace vigil
