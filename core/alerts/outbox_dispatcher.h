#pragma once

#include "alerts/alert_config.h"
#include "alerts/delivery_policy.h"

#include <QObject>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace vigil {

class AlertOutbox;
class SecretResolver;
struct AttemptOutcome;
struct Notification;
struct OutboundRequest;
struct OutboxMessage;

// Delivers the outbox: each due message to its destination (PagerDuty,
// Slack, signed webhook, command), at the destination's pace, and records
// every attempt's outcome in the store before it looks at the next one.
// Network errors, 429 (after its Retry-After) and 5xx are retried with
// exponential backoff and jitter; other 4xx are refused for good with the
// response body kept; a message older than give_up_after is abandoned.
// Delivery is at least once: a crash between the receiver's answer and the
// commit of "delivered" sends that message once more, with the same message
// id and dedup key, so receivers can drop the repeat. Lives on the thread of
// its event loop (AlertService's); never blocks it.
class OutboxDispatcher final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        std::string storePath;
        AlertConfig config;
        std::function<std::int64_t()> wallClock; // currentTimeMs when empty
        int keychainTimeoutMs = 5000;
    };

    explicit OutboxDispatcher(Options options, QObject *parent = nullptr); // throws StoreError
    ~OutboxDispatcher() override;

    // Sends what is due now and arranges to be called when more comes due.
    void pump();
    // Stops starting new attempts (the lease went elsewhere, or shutdown);
    // attempts in flight still finish and are recorded.
    void setPaused(bool paused);
    std::size_t inFlight() const { return m_inFlight.size(); }

Q_SIGNALS:
    // outcome: "delivered", "retry", "rejected", "abandoned"
    void attemptFinished(const QString &destination, const QString &messageId, const QString &outcome,
                         const QString &detail);
    void problem(const QString &message); // the store could not be read or written

private:
    void send(const OutboxMessage &message, const DestinationConfig &destination);
    void withSecret(const std::string &reference, std::function<void(std::optional<QByteArray>, QString)> then);
    void post(const OutboxMessage &message, const DestinationConfig &destination, const OutboundRequest &request);
    void runCommand(const OutboxMessage &message, const DestinationConfig &destination, const Notification &notification);
    void finishHttp(const OutboxMessage &message, const DestinationConfig &destination, QNetworkReply *reply);
    void retryLater(const OutboxMessage &message, const AttemptOutcome &outcome, std::optional<std::int64_t> afterMs);
    void finished(const OutboxMessage &message, const QString &outcome, const QString &detail);
    void schedule(std::int64_t nowMs, std::optional<std::int64_t> earliestLimited);
    std::int64_t now() const;
    RateLimiter &limiter(const DestinationConfig &destination);

    Options m_options;
    std::unique_ptr<AlertOutbox> m_outbox;
    QNetworkAccessManager *m_network;
    SecretResolver *m_secrets;
    QTimer *m_timer;
    std::map<std::string, RateLimiter> m_limiters;
    std::map<std::string, QByteArray> m_secretCache;
    std::set<std::int64_t> m_inFlight;
    std::mt19937_64 m_random;
    bool m_paused = false;
};

} // namespace vigil
