#include "alerts/notification.h"

#include "record/timestamp.h"

#include <QJsonDocument>

namespace vigil {

namespace {
QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
std::string text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString().toStdString();
}
std::int64_t integer(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}
} // namespace

QJsonObject Notification::toJson() const
{
    QJsonObject o{
        {QStringLiteral("message_id"), qs(messageId)},
        {QStringLiteral("event"), qs(event)},
        {QStringLiteral("dedup_key"), qs(dedupKey)},
        {QStringLiteral("rule"), qs(rule)},
        {QStringLiteral("type"), QString::fromUtf8(alertTypeName(type))},
        {QStringLiteral("group"), qs(group)},
        {QStringLiteral("severity"), QString::fromUtf8(severityName(severity))},
        {QStringLiteral("summary"), qs(summary)},
        {QStringLiteral("value"), value},
        {QStringLiteral("threshold"), threshold},
        {QStringLiteral("episode"), static_cast<qint64>(episode)},
        {QStringLiteral("at"), qs(formatRfc3339Ms(atMs))},
        {QStringLiteral("at_ms"), static_cast<qint64>(atMs)},
        {QStringLiteral("runbook_url"), qs(runbookUrl)},
        {QStringLiteral("details"), details},
    };
    if (firingSinceMs)
        o.insert(QStringLiteral("firing_since"), qs(formatRfc3339Ms(firingSinceMs)));
    if (resolvedAtMs)
        o.insert(QStringLiteral("resolved_at"), qs(formatRfc3339Ms(resolvedAtMs)));
    if (!instance.empty())
        o.insert(QStringLiteral("instance"), qs(instance));
    if (!actor.empty())
        o.insert(QStringLiteral("actor"), qs(actor));
    if (!reason.empty())
        o.insert(QStringLiteral("reason"), qs(reason));
    return o;
}

QByteArray Notification::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

std::optional<Notification> Notification::fromJson(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    Notification n;
    n.messageId = text(o, "message_id");
    n.event = text(o, "event");
    n.dedupKey = text(o, "dedup_key");
    n.rule = text(o, "rule");
    const auto type = alertTypeFromName(text(o, "type"));
    const auto severity = severityFromName(text(o, "severity"));
    if (n.messageId.empty() || n.dedupKey.empty() || !type || !severity)
        return std::nullopt;
    n.type = *type;
    n.severity = *severity;
    n.group = text(o, "group");
    n.summary = text(o, "summary");
    n.value = o.value(QLatin1String("value")).toDouble();
    n.threshold = o.value(QLatin1String("threshold")).toDouble();
    n.episode = integer(o, "episode");
    n.atMs = integer(o, "at_ms");
    n.firingSinceMs = parseRfc3339Ms(text(o, "firing_since")).value_or(0);
    n.resolvedAtMs = parseRfc3339Ms(text(o, "resolved_at")).value_or(0);
    n.runbookUrl = text(o, "runbook_url");
    n.instance = text(o, "instance");
    n.actor = text(o, "actor");
    n.reason = text(o, "reason");
    n.details = o.value(QLatin1String("details")).toObject();
    return n;
}

Notification notificationFor(const AlertState &alert, const std::string &event, std::int64_t atMs,
                             const std::string &runbookUrl, const std::string &instance)
{
    Notification n;
    n.event = event;
    n.dedupKey = alert.dedupKey;
    n.messageId = alert.dedupKey + "#" + std::to_string(alert.episode) + "/" + event;
    if (event == "reminder" || event == "acknowledge")
        n.messageId += "/" + std::to_string(atMs);
    n.rule = alert.rule;
    n.type = alert.type;
    n.group = alert.group;
    n.severity = alert.severity;
    n.summary = alert.summary;
    n.value = alert.value;
    n.threshold = alert.threshold;
    n.episode = alert.episode;
    n.atMs = atMs;
    n.firingSinceMs = alert.firingSinceMs;
    n.resolvedAtMs = alert.resolvedAtMs;
    n.runbookUrl = runbookUrl;
    n.instance = instance;
    if (alert.acknowledged) {
        n.actor = alert.acknowledged->by;
        n.reason = alert.acknowledged->reason;
    }
    const QJsonDocument details = QJsonDocument::fromJson(QByteArray::fromStdString(alert.detailsJson));
    n.details = details.object();
    return n;
}

} // namespace vigil
