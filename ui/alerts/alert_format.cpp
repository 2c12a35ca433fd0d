#include "alerts/alert_format.h"

#include "util/format.h"
#include "util/theme.h"

namespace vigil::ui {

QString alertTitle(const std::string &rule, const std::string &group)
{
    const QString r = QString::fromStdString(rule);
    return group.empty() ? r : r + QStringLiteral(" · ") + QString::fromStdString(group);
}

QString formatAlertValue(AlertType type, double value)
{
    switch (type) {
    case AlertType::LatencyP95: return formatMs(value);
    case AlertType::ErrorRate:
    case AlertType::FallbackRate:
    case AlertType::RetrievalEmptyRate:
    case AlertType::PromptRegression: return formatPercent(value);
    case AlertType::CostDaily:
    case AlertType::CostTenant: return formatUsd(value);
    case AlertType::IngestStalled:
    case AlertType::NotificationFailed: return formatAge(static_cast<std::int64_t>(value));
    }
    return QString::number(value);
}

QString severityText(vigil::Severity severity)
{
    return QString::fromUtf8(vigil::severityName(severity).data(),
                             static_cast<qsizetype>(vigil::severityName(severity).size()));
}

QColor alertSeverityColor(vigil::Severity severity, const QPalette &palette)
{
    const StatusColors c = statusColors(palette);
    switch (severity) {
    case vigil::Severity::Critical:
    case vigil::Severity::Error: return c.bad;
    case vigil::Severity::Warning: return c.warning;
    case vigil::Severity::Info: return c.unknown;
    }
    return c.unknown;
}

QString actorAndTime(const std::string &who, std::int64_t atMs)
{
    return QObject::tr("%1 at %2").arg(QString::fromStdString(who), formatDateTime(atMs));
}

} // namespace vigil::ui
