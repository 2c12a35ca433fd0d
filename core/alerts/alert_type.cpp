#include "alerts/alert_type.h"

#include <array>


namespace vigil {

namespace {
struct TypeInfo
{
    AlertType type;
    std::string_view name;
    std::string_view title;
};

constexpr std::array<TypeInfo, 9> kTypes = {{
    {AlertType::LatencyP95, "latency_p95", "p95 latency"},
    {AlertType::ErrorRate, "error_rate", "error rate"},
    {AlertType::FallbackRate, "fallback_rate", "fallback rate"},
    {AlertType::RetrievalEmptyRate, "retrieval_empty_rate", "empty retrieval rate"},
    {AlertType::IngestStalled, "ingest_stalled", "ingest stalled"},
    {AlertType::CostDaily, "cost_daily", "daily spend"},
    {AlertType::CostTenant, "cost_tenant", "tenant spend"},
    {AlertType::PromptRegression, "prompt_regression", "prompt regression"},
    {AlertType::NotificationFailed, "notification_failed", "notification failed"},
}};
} // namespace

std::string_view alertTypeName(AlertType type)
{
    return kTypes[static_cast<std::size_t>(type)].name;
}

std::string_view alertTypeTitle(AlertType type)
{
    return kTypes[static_cast<std::size_t>(type)].title;
}

std::optional<AlertType> alertTypeFromName(std::string_view name)
{
    for (const TypeInfo &info : kTypes) {
        if (info.name == name)
            return info.type;
    }
    return std::nullopt;
}

const std::vector<AlertType> &allAlertTypes()
{
    static const std::vector<AlertType> types = [] {
        std::vector<AlertType> out;
        for (const TypeInfo &info : kTypes)
            out.push_back(info.type);
        return out;
    }();
    return types;
}

bool isCostType(AlertType type)
{
    return type == AlertType::CostDaily || type == AlertType::CostTenant;
}

bool isRatioType(AlertType type)
{
    return type == AlertType::ErrorRate || type == AlertType::FallbackRate ||
           type == AlertType::RetrievalEmptyRate;
}

} // namespace vigil
