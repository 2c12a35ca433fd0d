#pragma once
// How the console writes an alert: its name, its figures in the unit of its
// type, its state and who acted on it.

#include "alerts/alert_records.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace vigil::ui {

QString alertTitle(const std::string &rule, const std::string &group); // "model-latency · model=gpt-4o"
// `value` of an alert of `type` in its unit: "5.20 s", "7.03%", "$12.34", "18 min".
QString formatAlertValue(AlertType type, double value);
QString severityText(vigil::Severity severity); // "critical"
QColor alertSeverityColor(vigil::Severity severity, const QPalette &palette);
QString actorAndTime(const std::string &who, std::int64_t atMs); // "alice@host at Nov 27 14:05"

} // namespace vigil::ui
