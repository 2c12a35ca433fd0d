#pragma once
// The alerting rows the store keeps (schema v4), as plain values. Written by
// the evaluator, the outbox dispatcher and operator actions; read by the
// console and vigilctl.

#include "alerts/alert_config.h"
#include "alerts/alert_type.h"

#include <QDate>

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

enum class AlertPhase { Inactive, Pending, Firing };
std::string_view alertPhaseName(AlertPhase phase); // "inactive", "pending", "firing"
std::optional<AlertPhase> alertPhaseFromName(std::string_view name);

struct Acknowledgement
{
    std::string by; // user@host
    std::int64_t atMs = 0;
    std::string reason;
};

// One alert: a rule, or one group of a grouped rule ("tenant=acme"), under
// its dedup key. An episode runs from the first breach to its resolve.
struct AlertState
{
    std::string dedupKey;
    std::string rule;
    AlertType type = AlertType::ErrorRate;
    std::string group; // "" or "tenant=acme", "provider=anthropic", "tenant=acme,level=page"
    AlertPhase phase = AlertPhase::Inactive;
    std::int64_t episode = 0; // counts episodes of this alert; 0: never breached
    Severity severity = Severity::Critical;
    std::int64_t pendingSinceMs = 0;
    std::int64_t firingSinceMs = 0;
    std::int64_t lastTrueMs = 0;   // when the condition was last seen breaching
    std::int64_t resolvedAtMs = 0; // of the last episode
    std::int64_t lastNotifiedMs = 0;
    bool triggerQueued = false; // this episode's trigger is in the outbox (it paged)
    double value = 0;
    double threshold = 0;
    std::string summary;
    std::string detailsJson = "{}"; // the figures, for notifications and the console
    std::optional<Acknowledgement> acknowledged; // of the current episode
    std::int64_t updatedAtMs = 0;
};

struct AlertHistoryEntry
{
    std::int64_t id = 0;
    std::int64_t atMs = 0;
    std::string dedupKey;
    std::string rule;
    AlertType type = AlertType::ErrorRate;
    std::string group;
    std::int64_t episode = 0;
    // "pending", "firing", "resolved", "cleared" (pending that never fired),
    // "reminder", "acknowledged", "silenced", "unsilenced"
    std::string event;
    Severity severity = Severity::Critical;
    double value = 0;
    double threshold = 0;
    std::string summary;
    std::string actor;  // operator events: user@host
    std::string reason;
};

// Mutes notifications of an alert (its dedup key) or of a whole rule (its
// name) until endsAtMs. The alert still changes state and is shown.
struct Silence
{
    std::int64_t id = 0;
    std::string target;
    std::int64_t startsAtMs = 0;
    std::int64_t endsAtMs = 0;
    std::string by; // user@host
    std::string reason;
    std::optional<std::int64_t> cancelledAtMs;
    bool activeAt(std::int64_t nowMs) const { return !cancelledAtMs && startsAtMs <= nowMs && nowMs < endsAtMs; }
};

enum class OutboxStatus { Pending, Delivered, Rejected, Abandoned };
std::string_view outboxStatusName(OutboxStatus status);
std::optional<OutboxStatus> outboxStatusFromName(std::string_view name);

// One notification for one destination. messageId is stable across
// retries and restarts: receivers de-duplicate on it (and PagerDuty on the
// dedup key).
struct OutboxMessage
{
    std::int64_t id = 0;
    std::string destination;
    std::string dedupKey;
    std::int64_t episode = 0;
    std::string event; // "trigger", "resolve", "reminder", "acknowledge"
    std::string messageId;
    std::string payloadJson; // the Notification
    std::int64_t createdAtMs = 0;
    std::int64_t nextAttemptAtMs = 0;
    int attempts = 0;
    OutboxStatus status = OutboxStatus::Pending;
    std::optional<std::int64_t> lastAttemptAtMs;
    std::optional<int> lastHttpStatus;
    std::string lastError;
    std::string lastResponse; // the start of the body of a refusal
    std::optional<std::int64_t> deliveredAtMs;
};

// How a destination has been doing; feeds the notification_failed alert.
struct DestinationHealth
{
    std::string name;
    std::optional<std::int64_t> lastSuccessMs;
    std::optional<std::int64_t> failingSinceMs; // first failure since the last success
    std::optional<std::int64_t> lastFailureMs;
    std::optional<int> lastHttpStatus;
    std::string lastError;
    std::optional<std::int64_t> rejectedAtMs; // a 4xx (not 429) since the last success
};

enum class CapScope { Daily, TenantDefault, Tenant };

// A cap set through Vigil (console or vigilctl); it wins over vigil.toml's
// value for the same cap until it is reset.
struct CapOverride
{
    CapScope scope = CapScope::Tenant;
    std::string tenant; // for CapScope::Tenant
    double usd = 0;
    QDate reviewedOn;
    std::int64_t setAtMs = 0;
    std::string by; // user@host
    std::string reason;
};

} // namespace vigil
