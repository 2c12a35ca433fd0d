#pragma once
// A notification as it waits in the outbox: everything a notifier needs to
// build its destination's message, frozen when the alert changed state, so a
// delivery hours later (after a crash or an outage) still says what happened.

#include "alerts/alert_records.h"

#include <QByteArray>
#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

struct Notification
{
    std::string messageId; // stable: the same message keeps it across retries and restarts
    std::string event;     // "trigger", "resolve", "reminder", "acknowledge"
    std::string dedupKey;
    std::string rule;
    AlertType type = AlertType::ErrorRate;
    std::string group;
    Severity severity = Severity::Critical;
    std::string summary;
    double value = 0;
    double threshold = 0;
    std::int64_t episode = 0;
    std::int64_t atMs = 0;          // when the event happened
    std::int64_t firingSinceMs = 0;
    std::int64_t resolvedAtMs = 0;
    std::string runbookUrl;
    std::string instance;
    std::string actor;   // acknowledge: who
    std::string reason;  // acknowledge: why
    QJsonObject details; // the figures

    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;
    static std::optional<Notification> fromJson(const QByteArray &json);
};

// The notification `event` of `alert` at `atMs`.
Notification notificationFor(const AlertState &alert, const std::string &event, std::int64_t atMs,
                             const std::string &runbookUrl, const std::string &instance);

} // namespace vigil
