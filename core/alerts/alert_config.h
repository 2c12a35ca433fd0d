#pragma once
// The alerting part of vigil.toml: [alerts] settings, [[alerts.rules]],
// [[alerts.destinations]] and [costs] (the daily and per-tenant spend caps).
// Read by config/ (alert_config_toml.cpp) into these plain structs; each
// keeps the line it came from so later findings can name it.

#include "alerts/alert_type.h"
#include "store/labels.h"
#include "store/metrics_reader.h"

#include <QDate>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// PagerDuty's four severities, lowest first.
enum class Severity { Info, Warning, Error, Critical };
std::string_view severityName(Severity severity);
std::optional<Severity> severityFromName(std::string_view name);

struct AlertRule
{
    std::string name;
    AlertType type = AlertType::ErrorRate;
    std::int64_t windowMs = 5 * 60'000;
    // latency_p95: milliseconds; the rates: a share 0..1; ingest_stalled:
    // milliseconds without data. Cost rules take theirs from [costs].
    double threshold = 0;
    std::int64_t forMs = 0;            // the condition must hold this long before firing
    std::int64_t keepFiringForMs = 0;  // ... and be gone this long before resolving
    std::int64_t repeatIntervalMs = 0; // reminders while firing; 0: none
    LabelFilter filter;
    GroupBy groupBy = GroupBy::None;   // None, Tenant, Model, Provider or Prompt
    std::uint64_t minRequests = 20;    // fewer in the window: no verdict (not breaching)
    Severity severity = Severity::Critical;
    std::vector<std::string> destinations; // empty: every destination
    std::string description;
    int line = 0;
};

struct CapSetting
{
    double usd = 0;
    std::optional<QDate> reviewedOn;
    int line = 0;
};

// [costs]: the day's spend against its ceilings. A cost alert warns at
// warnShare of a cap and pages at the cap.
struct CostCaps
{
    std::string timeZone = "UTC"; // an IANA zone; the day the caps count
    double warnShare = 0.8;
    std::optional<CapSetting> daily;
    std::optional<CapSetting> tenantDefault;
    std::map<std::string, CapSetting> tenants; // overrides of the default
    int line = 0;
};

enum class DestinationType { PagerDuty, Slack, Webhook, Command };
std::string_view destinationTypeName(DestinationType type);

// Where notifications go. Secrets (PagerDuty routing key, webhook URLs, the
// signing key) are references, "env:VARIABLE" or "keychain:ENTRY", never the
// secret itself.
struct DestinationConfig
{
    std::string name;
    DestinationType type = DestinationType::Webhook;
    std::string endpoint;      // PagerDuty Events API URL (not a secret; tests point it at a local receiver)
    std::string secretRef;     // routing key (pagerduty), webhook URL (slack, webhook)
    std::string signingKeyRef; // webhook: the HMAC-SHA256 key
    std::vector<std::string> command; // command: program and arguments; the event JSON on stdin
    Severity minSeverity = Severity::Info;
    int ratePerMinute = 60;
    std::int64_t timeoutMs = 10'000;
    int line = 0;
};

struct AlertSettings
{
    std::int64_t evaluateEveryMs = 30'000;
    std::int64_t catchUpMs = 3'600'000; // evaluated back to this far after a start without state
    std::string instance;               // prefix of dedup keys when several Vigils page one service
    std::string runbookBaseUrl;         // empty: the installed pages as file:// URLs
    std::int64_t notificationFailedAfterMs = 10 * 60'000;
    std::int64_t retryBaseMs = 2'000;
    std::int64_t retryMaxMs = 5 * 60'000;
    std::int64_t giveUpAfterMs = 24 * 3'600'000LL;
    std::int64_t leaseMs = 60'000;
};

struct AlertConfig
{
    AlertSettings settings;
    std::vector<AlertRule> rules;
    std::vector<DestinationConfig> destinations;
    CostCaps costs;
    bool alertsSectionRead = false; // the file has [alerts]
    bool rulesRead = false;         // ... with [[alerts.rules]] (none: the shipped rules apply)
    bool costsSectionRead = false;  // the file has [costs]

    const AlertRule *rule(std::string_view name) const;
    const DestinationConfig *destination(std::string_view name) const;
};

inline constexpr int kCapReviewDays = 92;

// "env:NAME" or "keychain:ENTRY".
bool isSecretReference(std::string_view text);

} // namespace vigil
