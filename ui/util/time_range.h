#pragma once
// The time range the console shows: a preset that slides with "now" (last
// 15 minutes ... last 7 days) or a fixed custom window (picked, zoomed into,
// or narrowed to one bucket). A plain value; resolving it needs "now".

#include "metrics/time_window.h"

#include <QString>

#include <array>
#include <cstdint>

namespace vigil::ui {

enum class RangePreset { Last15m, Last1h, Last6h, Last24h, Last7d, Custom };

inline constexpr std::array<RangePreset, 5> kSlidingPresets = {
    RangePreset::Last15m, RangePreset::Last1h, RangePreset::Last6h, RangePreset::Last24h, RangePreset::Last7d};

class TimeRange
{
public:
    TimeRange() = default; // the last hour
    static TimeRange sliding(RangePreset preset);
    static TimeRange custom(std::int64_t fromMs, std::int64_t toMs);

    RangePreset preset() const { return m_preset; }
    bool isCustom() const { return m_preset == RangePreset::Custom; }
    // [now - length, now) for presets; the fixed window for custom ranges.
    TimeWindow resolve(std::int64_t nowMs) const;
    QString label() const; // "Last hour", "13:05 – 14:05"

    bool operator==(const TimeRange &) const = default;

private:
    RangePreset m_preset = RangePreset::Last1h;
    std::int64_t m_fromMs = 0;
    std::int64_t m_toMs = 0;
};

std::int64_t presetLengthMs(RangePreset preset);
QString presetShortName(RangePreset preset); // "15m", "1h", ..., "Custom"
QString presetKey(RangePreset preset);       // for settings: "15m", ..., "custom"
RangePreset presetFromKey(const QString &key, RangePreset fallback);

// The chart bucket for a window: the smallest of 1 minute, 5 minutes, 1 hour
// and 1 day that keeps the window within kMaxBuckets buckets.
inline constexpr std::int64_t kMaxBuckets = 300;
std::int64_t chooseBucketMs(std::int64_t windowLengthMs);
QString bucketName(std::int64_t bucketMs); // "1 min", "5 min", "1 h", "1 d"

// A dashboard window: starts on a bucket boundary so the first bucket is whole.
TimeWindow alignToBuckets(const TimeWindow &window, std::int64_t bucketMs);

} // namespace vigil::ui
