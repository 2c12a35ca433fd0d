#include "util/time_range.h"

#include "util/format.h"

#include "store/rollup_accumulator.h"

namespace vigil::ui {

TimeRange TimeRange::sliding(RangePreset preset)
{
    TimeRange r;
    r.m_preset = preset == RangePreset::Custom ? RangePreset::Last1h : preset;
    return r;
}

TimeRange TimeRange::custom(std::int64_t fromMs, std::int64_t toMs)
{
    TimeRange r;
    r.m_preset = RangePreset::Custom;
    r.m_fromMs = std::min(fromMs, toMs);
    r.m_toMs = std::max(toMs, r.m_fromMs + 1);
    return r;
}

TimeWindow TimeRange::resolve(std::int64_t nowMs) const
{
    if (m_preset == RangePreset::Custom)
        return {m_fromMs, m_toMs};
    return {nowMs - presetLengthMs(m_preset), nowMs};
}

QString TimeRange::label() const
{
    switch (m_preset) {
    case RangePreset::Last15m: return QStringLiteral("Last 15 minutes");
    case RangePreset::Last1h: return QStringLiteral("Last hour");
    case RangePreset::Last6h: return QStringLiteral("Last 6 hours");
    case RangePreset::Last24h: return QStringLiteral("Last 24 hours");
    case RangePreset::Last7d: return QStringLiteral("Last 7 days");
    case RangePreset::Custom: return formatWindow(m_fromMs, m_toMs);
    }
    return {};
}

std::int64_t presetLengthMs(RangePreset preset)
{
    switch (preset) {
    case RangePreset::Last15m: return 15 * kMinuteMs;
    case RangePreset::Last1h: return kHourMs;
    case RangePreset::Last6h: return 6 * kHourMs;
    case RangePreset::Last24h: return kDayMs;
    case RangePreset::Last7d: return 7 * kDayMs;
    case RangePreset::Custom: return 0;
    }
    return kHourMs;
}

QString presetShortName(RangePreset preset)
{
    switch (preset) {
    case RangePreset::Last15m: return QStringLiteral("15m");
    case RangePreset::Last1h: return QStringLiteral("1h");
    case RangePreset::Last6h: return QStringLiteral("6h");
    case RangePreset::Last24h: return QStringLiteral("24h");
    case RangePreset::Last7d: return QStringLiteral("7d");
    case RangePreset::Custom: return QStringLiteral("Custom");
    }
    return {};
}

QString presetKey(RangePreset preset)
{
    return preset == RangePreset::Custom ? QStringLiteral("custom") : presetShortName(preset);
}

RangePreset presetFromKey(const QString &key, RangePreset fallback)
{
    for (RangePreset p : kSlidingPresets) {
        if (presetKey(p) == key)
            return p;
    }
    return fallback;
}

std::int64_t chooseBucketMs(std::int64_t windowLengthMs)
{
    for (std::int64_t bucket : {kMinuteMs, 5 * kMinuteMs, kHourMs}) {
        if (windowLengthMs <= bucket * kMaxBuckets)
            return bucket;
    }
    return kDayMs;
}

QString bucketName(std::int64_t bucketMs)
{
    if (bucketMs % kDayMs == 0)
        return QString::number(bucketMs / kDayMs) + QStringLiteral(" d");
    if (bucketMs % kHourMs == 0)
        return QString::number(bucketMs / kHourMs) + QStringLiteral(" h");
    return QString::number(bucketMs / kMinuteMs) + QStringLiteral(" min");
}

TimeWindow alignToBuckets(const TimeWindow &window, std::int64_t bucketMs)
{
    return {floorTo(window.fromMs, bucketMs), window.toMs};
}

} // namespace vigil::ui
