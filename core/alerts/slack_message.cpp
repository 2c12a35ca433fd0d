#include "alerts/slack_message.h"

#include "alerts/pagerduty_event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil {

namespace {
// Slack's mrkdwn needs &, < and > escaped in text.
QString escaped(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('&'), QLatin1String("&amp;"));
    out.replace(QLatin1Char('<'), QLatin1String("&lt;"));
    out.replace(QLatin1Char('>'), QLatin1String("&gt;"));
    return out;
}

QString headline(const Notification &n)
{
    if (n.event == "resolve")
        return QStringLiteral(":white_check_mark: *RESOLVED*");
    if (n.event == "reminder")
        return QStringLiteral(":rotating_light: *STILL FIRING*");
    if (n.event == "acknowledge")
        return QStringLiteral(":eyes: *ACKNOWLEDGED*");
    return n.severity >= Severity::Error ? QStringLiteral(":rotating_light: *FIRING*") : QStringLiteral(":warning: *WARNING*");
}
} // namespace

OutboundRequest slackRequest(const Notification &n, const QString &webhookUrl)
{
    const QString runbook = QString::fromStdString(n.runbookUrl);
    const QString text = headline(n) + QStringLiteral(" [") + QString::fromUtf8(severityName(n.severity)) +
                         QStringLiteral("] ") + escaped(QString::fromStdString(n.rule)) + QStringLiteral(": ") +
                         escaped(cutText(QString::fromStdString(n.summary), 2000)) + QStringLiteral("\nRunbook: <") +
                         runbook + QLatin1Char('|') + QString::fromUtf8(alertTypeName(n.type)) + QStringLiteral(".md>");
    const QJsonObject message{
        {QStringLiteral("text"), text},
        {QStringLiteral("blocks"),
         QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("section")},
                                {QStringLiteral("text"), QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                                                                     {QStringLiteral("text"), text}}}},
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("context")},
                                {QStringLiteral("elements"),
                                 QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                                                        {QStringLiteral("text"), QString(QStringLiteral("dedup key `") +
                                                                                             escaped(QString::fromStdString(n.dedupKey)) +
                                                                                             QLatin1Char('`'))}}}}}}}};
    return {QUrl(webhookUrl), QJsonDocument(message).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}}};
}

} // namespace vigil
