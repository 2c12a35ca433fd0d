#include "alerts/alert_config.h"

#include <array>

namespace vigil {

namespace {
constexpr std::array<std::string_view, 4> kSeverities = {"info", "warning", "error", "critical"};
} // namespace

std::string_view severityName(Severity severity)
{
    return kSeverities[static_cast<std::size_t>(severity)];
}

std::optional<Severity> severityFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kSeverities.size(); ++i) {
        if (kSeverities[i] == name)
            return static_cast<Severity>(i);
    }
    return std::nullopt;
}

std::string_view destinationTypeName(DestinationType type)
{
    switch (type) {
    case DestinationType::PagerDuty: return "pagerduty";
    case DestinationType::Slack: return "slack";
    case DestinationType::Webhook: return "webhook";
    case DestinationType::Command: return "command";
    }
    return "webhook";
}

const AlertRule *AlertConfig::rule(std::string_view name) const
{
    for (const AlertRule &r : rules) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

const DestinationConfig *AlertConfig::destination(std::string_view name) const
{
    for (const DestinationConfig &d : destinations) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

bool isSecretReference(std::string_view text)
{
    const auto validName = [](std::string_view name, bool envStyle) {
        if (name.empty() || name.size() > 200)
            return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            const char c = name[i];
            const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            const bool digit = c >= '0' && c <= '9';
            const bool extra = !envStyle && (c == '-' || c == '.' || c == '/');
            if (!(alpha || (digit && i > 0) || extra))
                return false;
        }
        return true;
    };
    if (text.starts_with("env:"))
        return validName(text.substr(4), true);
    if (text.starts_with("keychain:"))
        return validName(text.substr(9), false);
    return false;
}

} // namespace vigil
