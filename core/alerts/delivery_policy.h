#pragma once
// What a delivery attempt's answer means for the message: delivered, tried
// again later (network errors, 429, 5xx), or refused for good (any other
// 4xx: the payload or the key is wrong, and repeating it would not help).

#include <QByteArray>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace vigil {

enum class DeliveryVerdict { Delivered, Retry, Reject };

struct DeliveryDecision
{
    DeliveryVerdict verdict = DeliveryVerdict::Retry;
    std::optional<std::int64_t> retryAfterMs; // from the answer (429's Retry-After), else the backoff decides
};

DeliveryDecision classifyHttpStatus(int status, const QByteArray &retryAfter, std::int64_t nowMs);

// Retry-After as delay-seconds or an HTTP date; nothing when absent or not
// understood. Never negative.
std::optional<std::int64_t> parseRetryAfterMs(const QByteArray &value, std::int64_t nowMs);

// Exponential backoff with jitter: base * 2^(attempt-1), at most maxMs, then
// a random share of 50-100% of it (random01 in [0, 1)), so destinations that
// come back are not hit by every sender at once.
std::int64_t backoffDelayMs(int attempt, std::int64_t baseMs, std::int64_t maxMs, double random01);

// A destination's pace: at most perMinute messages a minute, evenly spaced
// (PagerDuty about 120 a minute, Slack one a second).
class RateLimiter final
{
public:
    explicit RateLimiter(int perMinute);
    // When the next message may go; <= nowMs means now.
    std::int64_t nextAllowedMs() const { return m_nextMs; }
    bool tryTake(std::int64_t nowMs);
    // Nothing before `ms` (a 429's Retry-After holds the whole destination).
    void holdUntil(std::int64_t ms) { m_nextMs = std::max(m_nextMs, ms); }

private:
    std::int64_t m_intervalMs;
    std::int64_t m_nextMs = 0;
};

} // namespace vigil
