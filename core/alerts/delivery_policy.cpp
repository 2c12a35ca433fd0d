#include "alerts/delivery_policy.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

namespace vigil {

namespace {
constexpr std::int64_t kLongestRetryAfterMs = 3'600'000; // a server asking for more is asked again in an hour
}

std::optional<std::int64_t> parseRetryAfterMs(const QByteArray &value, std::int64_t nowMs)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qlonglong seconds = text.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<std::int64_t>(std::min<qlonglong>(seconds * 1000, kLongestRetryAfterMs));
    // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT"
    QDateTime at = QLocale::c().toDateTime(QString::fromLatin1(text), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!at.isValid())
        return std::nullopt;
    at.setTimeZone(QTimeZone::utc());
    return std::clamp<std::int64_t>(at.toMSecsSinceEpoch() - nowMs, 0, kLongestRetryAfterMs);
}

DeliveryDecision classifyHttpStatus(int status, const QByteArray &retryAfter, std::int64_t nowMs)
{
    DeliveryDecision d;
    if (status >= 200 && status < 300) {
        d.verdict = DeliveryVerdict::Delivered;
    } else if (status == 429 || status >= 500) {
        d.verdict = DeliveryVerdict::Retry;
        d.retryAfterMs = parseRetryAfterMs(retryAfter, nowMs);
    } else {
        d.verdict = DeliveryVerdict::Reject;
    }
    return d;
}

std::int64_t backoffDelayMs(int attempt, std::int64_t baseMs, std::int64_t maxMs, double random01)
{
    std::int64_t delay = baseMs;
    for (int i = 1; i < attempt && delay < maxMs; ++i)
        delay *= 2;
    delay = std::min(delay, maxMs);
    const double share = 0.5 + 0.5 * std::clamp(random01, 0.0, 1.0);
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(delay) * share));
}

RateLimiter::RateLimiter(int perMinute) : m_intervalMs(60'000 / std::max(1, perMinute)) {}

bool RateLimiter::tryTake(std::int64_t nowMs)
{
    if (nowMs < m_nextMs)
        return false;
    m_nextMs = nowMs + m_intervalMs;
    return true;
}

} // namespace vigil
