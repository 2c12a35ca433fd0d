#pragma once
// alerts/: Vigil's alerting. Rules from vigil.toml ([alerts], [costs]) are
// measured against the store by the evaluator, which moves each alert
// (a rule, or one group of it) through pending -> firing -> resolved and
// writes every state change, its history row and the notifications it
// causes in one store transaction. Notifications wait in an outbox table
// until a notifier (PagerDuty, Slack, a signed webhook, a command) has
// delivered them, so a crash or a dead network delays pages but never loses
// or repeats them. A lease row makes sure one process evaluates and pages.

#include <optional>
#include <string_view>
#include <vector>

namespace vigil {

// What an alert watches. Each type has a runbook page named after it
// (runbooks/<name>.md).
enum class AlertType {
    LatencyP95,
    ErrorRate,
    FallbackRate,
    RetrievalEmptyRate,
    IngestStalled,
    CostDaily,
    CostTenant,
    PromptRegression,
    NotificationFailed,
};

std::string_view alertTypeName(AlertType type); // "latency_p95"
std::optional<AlertType> alertTypeFromName(std::string_view name);
std::string_view alertTypeTitle(AlertType type); // "p95 latency", for summaries
const std::vector<AlertType> &allAlertTypes();

// Types whose threshold comes from the cost caps ([costs]), not the rule.
bool isCostType(AlertType type);
// Types measured as a share of requests (threshold 0..1).
bool isRatioType(AlertType type);

} // namespace vigil
