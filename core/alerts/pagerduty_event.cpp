#include "alerts/pagerduty_event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil {

namespace {
QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString pagerDutyAction(const std::string &event)
{
    if (event == "resolve")
        return QStringLiteral("resolve");
    if (event == "acknowledge")
        return QStringLiteral("acknowledge");
    return QStringLiteral("trigger"); // trigger and reminders: PagerDuty folds them into one incident
}
} // namespace

QString cutText(const QString &text, int limit)
{
    if (text.size() <= limit)
        return text;
    QString cut = text.left(limit - 1);
    if (!cut.isEmpty() && cut.back().isHighSurrogate())
        cut.chop(1);
    return cut + QChar(0x2026);
}

OutboundRequest pagerDutyRequest(const Notification &n, const QString &endpoint, const QString &routingKey)
{
    QJsonObject event{{QStringLiteral("routing_key"), routingKey},
                      {QStringLiteral("event_action"), pagerDutyAction(n.event)},
                      {QStringLiteral("dedup_key"), qs(n.dedupKey)}};
    if (n.event == "trigger" || n.event == "reminder") {
        const QJsonObject frozen = n.toJson(); // its timestamps, already formatted
        const QString prefix = n.event == "reminder" ? QStringLiteral("[still firing] ") : QString();
        QJsonObject details = n.details;
        details.insert(QStringLiteral("rule"), qs(n.rule));
        details.insert(QStringLiteral("value"), n.value);
        details.insert(QStringLiteral("threshold"), n.threshold);
        details.insert(QStringLiteral("episode"), static_cast<qint64>(n.episode));
        if (n.firingSinceMs)
            details.insert(QStringLiteral("firing_since"), frozen.value(QStringLiteral("firing_since")));
        details.insert(QStringLiteral("runbook"), qs(n.runbookUrl));
        QJsonObject payload{{QStringLiteral("summary"), cutText(prefix + qs(n.summary), kPagerDutySummaryLimit)},
                            {QStringLiteral("source"), n.instance.empty() ? QStringLiteral("vigil") : QString(QStringLiteral("vigil/") + qs(n.instance))},
                            {QStringLiteral("severity"), QString::fromUtf8(severityName(n.severity))},
                            {QStringLiteral("timestamp"), frozen.value(QStringLiteral("at"))},
                            {QStringLiteral("group"), qs(n.rule)},
                            {QStringLiteral("class"), QString::fromUtf8(alertTypeName(n.type))},
                            {QStringLiteral("custom_details"), details}};
        if (!n.group.empty())
            payload.insert(QStringLiteral("component"), qs(n.group));
        event.insert(QStringLiteral("payload"), payload);
        event.insert(QStringLiteral("links"),
                     QJsonArray{QJsonObject{{QStringLiteral("href"), qs(n.runbookUrl)},
                                            {QStringLiteral("text"), QString(QStringLiteral("Runbook: ") +
                                                                                 QString::fromUtf8(alertTypeName(n.type)))}}});
        event.insert(QStringLiteral("client"), QStringLiteral("Vigil"));
    }
    QByteArray body = QJsonDocument(event).toJson(QJsonDocument::Compact);
    if (body.size() >= kPagerDutyPayloadLimit) {
        // The figures are what can grow (error types, labels): keep the
        // alert, say what was dropped.
        QJsonObject payload = event.value(QStringLiteral("payload")).toObject();
        payload.insert(QStringLiteral("custom_details"),
                       QJsonObject{{QStringLiteral("rule"), qs(n.rule)},
                                   {QStringLiteral("value"), n.value},
                                   {QStringLiteral("threshold"), n.threshold},
                                   {QStringLiteral("note"), QStringLiteral("details too large for PagerDuty; see the Vigil console")}});
        event.insert(QStringLiteral("payload"), payload);
        body = QJsonDocument(event).toJson(QJsonDocument::Compact);
    }
    return {QUrl(endpoint), body, {{"Content-Type", "application/json"}}};
}

} // namespace vigil
