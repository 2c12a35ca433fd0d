#pragma once
// vigilctl alerts: the pieces of the command, one file each.

#include "cli.h"

#include "alerts/alert_setup.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace vigil {
class AlertService;
}

namespace vigil::cli {

struct AlertsContext
{
    QCommandLineParser &parser;
    QStringList args; // positional arguments after the action
    QString command;  // "vigilctl alerts list", for messages
    bool json = false;
    Environment env;
    AlertSetup setup;

    int fail(const QString &message, int code) const;
    std::int64_t now() const; // --now, else the clock
};

int alertsCheckConfig(QCommandLineParser &parser, const QString &configOption, bool json);
int alertsList(AlertsContext &c);
int alertsHistory(AlertsContext &c);
int alertsOutbox(AlertsContext &c);
int alertsAck(AlertsContext &c);
int alertsSilence(AlertsContext &c);
int alertsUnsilence(AlertsContext &c);
int alertsCaps(AlertsContext &c);
int alertsEvaluate(AlertsContext &c);
int alertsRun(AlertsContext &c);

// Deliveries and problems of an alert service on stderr, each line prefixed.
void logAlertActivity(AlertService &service, const char *prefix);

QString formatTime(std::int64_t ms); // "2026-11-27 02:13 UTC"
QString formatSpan(std::int64_t ms); // "1h05m"

} // namespace vigil::cli
