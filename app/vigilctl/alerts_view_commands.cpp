// vigilctl alerts list|history|outbox: what fires, what happened, what was sent.
#include "alerts_cli.h"
#include "text_table.h"

#include "alerts/alert_board.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace vigil::cli {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonObject stateJson(const AlertView &v)
{
    const AlertState &s = v.state;
    QJsonObject o{{QStringLiteral("key"), qs(s.dedupKey)},
                  {QStringLiteral("rule"), qs(s.rule)},
                  {QStringLiteral("type"), QString::fromUtf8(alertTypeName(s.type))},
                  {QStringLiteral("group"), qs(s.group)},
                  {QStringLiteral("state"), QString::fromUtf8(alertPhaseName(s.phase))},
                  {QStringLiteral("severity"), QString::fromUtf8(severityName(s.severity))},
                  {QStringLiteral("episode"), static_cast<qint64>(s.episode)},
                  {QStringLiteral("value"), s.value},
                  {QStringLiteral("threshold"), s.threshold},
                  {QStringLiteral("summary"), qs(s.summary)},
                  {QStringLiteral("since"), qs(formatRfc3339Ms(s.phase == AlertPhase::Firing ? s.firingSinceMs : s.pendingSinceMs))},
                  {QStringLiteral("paged"), s.triggerQueued},
                  {QStringLiteral("silenced"), v.silenced},
                  {QStringLiteral("runbook"), qs(v.runbookUrl)},
                  {QStringLiteral("details"), QJsonDocument::fromJson(QByteArray::fromStdString(s.detailsJson)).object()}};
    if (s.acknowledged)
        o.insert(QStringLiteral("acknowledged"), QJsonObject{{QStringLiteral("by"), qs(s.acknowledged->by)},
                                                             {QStringLiteral("at"), qs(formatRfc3339Ms(s.acknowledged->atMs))},
                                                             {QStringLiteral("reason"), qs(s.acknowledged->reason)}});
    if (v.silence)
        o.insert(QStringLiteral("silence"), QJsonObject{{QStringLiteral("id"), static_cast<qint64>(v.silence->id)},
                                                        {QStringLiteral("until"), qs(formatRfc3339Ms(v.silence->endsAtMs))},
                                                        {QStringLiteral("by"), qs(v.silence->by)},
                                                        {QStringLiteral("reason"), qs(v.silence->reason)}});
    return o;
}

} // namespace

int alertsList(AlertsContext &c)
{
    AlertBoard board(c.env.storePath, c.setup);
    const std::int64_t now = c.now();
    const AlertOverview o = board.overview(now);
    std::vector<AlertView> inactive;
    if (c.parser.isSet(QStringLiteral("all"))) {
        AlertStore store(c.env.storePath, AlertStore::Access::ReadOnly);
        for (const AlertState &s : store.states()) {
            if (s.phase == AlertPhase::Inactive) {
                AlertView v;
                v.state = s;
                inactive.push_back(v);
            }
        }
    }
    if (c.json) {
        const auto array = [](const std::vector<AlertView> &views) {
            QJsonArray a;
            for (const AlertView &v : views)
                a.append(stateJson(v));
            return a;
        };
        QJsonObject doc{{QStringLiteral("firing"), array(o.firing)},
                        {QStringLiteral("pending"), array(o.pending)},
                        {QStringLiteral("silenced"), array(o.silenced)},
                        {QStringLiteral("notification_failing"), o.notificationFailing},
                        {QStringLiteral("outbox_pending"), static_cast<qint64>(o.outbox.pending)}};
        if (!inactive.empty())
            doc.insert(QStringLiteral("inactive"), array(inactive));
        if (o.lease)
            doc.insert(QStringLiteral("evaluator"), QJsonObject{{QStringLiteral("host"), qs(o.lease->host)},
                                                                {QStringLiteral("pid"), static_cast<qint64>(o.lease->pid)},
                                                                {QStringLiteral("last_evaluated_at"),
                                                                 o.lease->lastEvaluatedAtMs ? qs(formatRfc3339Ms(*o.lease->lastEvaluatedAtMs)) : QString()}});
        printJson(doc);
        return Ok;
    }
    if (o.notificationFailing)
        out() << "!! NOTIFICATIONS ARE FAILING: pages may not reach anyone (see notification-failed below)\n\n";
    const auto section = [&](const char *title, const std::vector<AlertView> &views) {
        out() << title << " (" << views.size() << ")\n";
        if (views.empty())
            return;
        TextTable table({QStringLiteral("KEY"), QStringLiteral("SEVERITY"), QStringLiteral("SINCE"), QStringLiteral("SUMMARY")}, 4);
        for (const AlertView &v : views) {
            const AlertState &s = v.state;
            QString summary = qs(s.summary);
            if (s.acknowledged)
                summary += QStringLiteral(" [acked by %1]").arg(qs(s.acknowledged->by));
            if (v.silence)
                summary += QStringLiteral(" [silenced until %1 by %2: %3]")
                               .arg(formatTime(v.silence->endsAtMs), qs(v.silence->by), qs(v.silence->reason));
            const std::int64_t since = s.phase == AlertPhase::Firing ? s.firingSinceMs : s.pendingSinceMs;
            table.addRow({qs(s.dedupKey), QString::fromUtf8(severityName(s.severity)),
                          since ? formatSpan(o.nowMs - since) + QStringLiteral(" ago") : QStringLiteral("-"), summary});
        }
        table.print(out());
    };
    section("FIRING", o.firing);
    out() << '\n';
    section("PENDING", o.pending);
    out() << '\n';
    section("SILENCED", o.silenced);
    if (!inactive.empty()) {
        out() << '\n';
        section("INACTIVE", inactive);
    }
    out() << "\nOutbox: " << o.outbox.pending << " pending, " << o.outbox.delivered << " delivered, "
          << o.outbox.rejected << " refused, " << o.outbox.abandoned << " abandoned.";
    if (o.lease)
        out() << " Evaluated by " << qs(o.lease->host) << " pid " << o.lease->pid << ", last at "
              << (o.lease->lastEvaluatedAtMs ? formatTime(*o.lease->lastEvaluatedAtMs) : QStringLiteral("-"));
    else
        out() << " Nothing has evaluated this store yet (vigilctl serve, alerts run, or the console does).";
    out() << '\n';
    out().flush();
    return Ok;
}

int alertsHistory(AlertsContext &c)
{
    const auto since = parseDurationMs(c.parser.value(QStringLiteral("since")).toStdString());
    if (!since)
        return c.fail(QStringLiteral("--since is not a duration (e.g. 24h)"), BadUsage);
    bool ok = false;
    const qlonglong limit = c.parser.value(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || limit < 1)
        return c.fail(QStringLiteral("--limit must be a positive number"), BadUsage);
    AlertStore store(c.env.storePath, AlertStore::Access::ReadOnly);
    AlertHistoryFilter filter;
    filter.fromMs = c.now() - *since;
    filter.limit = limit;
    if (c.parser.isSet(QStringLiteral("key")))
        filter.dedupKey = c.parser.value(QStringLiteral("key")).toStdString();
    const auto entries = store.history(filter);
    if (c.json) {
        QJsonArray a;
        for (const AlertHistoryEntry &e : entries)
            a.append(QJsonObject{{QStringLiteral("at"), qs(formatRfc3339Ms(e.atMs))},
                                 {QStringLiteral("key"), qs(e.dedupKey)},
                                 {QStringLiteral("rule"), qs(e.rule)},
                                 {QStringLiteral("event"), qs(e.event)},
                                 {QStringLiteral("episode"), static_cast<qint64>(e.episode)},
                                 {QStringLiteral("severity"), QString::fromUtf8(severityName(e.severity))},
                                 {QStringLiteral("value"), e.value},
                                 {QStringLiteral("summary"), qs(e.summary)},
                                 {QStringLiteral("actor"), qs(e.actor)},
                                 {QStringLiteral("reason"), qs(e.reason)}});
        printJson({{QStringLiteral("entries"), a}});
        return Ok;
    }
    TextTable table({QStringLiteral("TIME"), QStringLiteral("EVENT"), QStringLiteral("KEY"), QStringLiteral("DETAIL")}, 4);
    for (const AlertHistoryEntry &e : entries) {
        QString detail = qs(e.summary);
        if (!e.actor.empty())
            detail = qs(e.actor) + (e.reason.empty() ? QString() : QStringLiteral(": ") + qs(e.reason));
        table.addRow({formatTime(e.atMs), qs(e.event), qs(e.dedupKey), detail});
    }
    table.print(out());
    out().flush();
    return Ok;
}

int alertsOutbox(AlertsContext &c)
{
    AlertOutbox outbox(c.env.storePath);
    if (c.parser.isSet(QStringLiteral("retry"))) {
        bool ok = false;
        const qlonglong id = c.parser.value(QStringLiteral("retry")).toLongLong(&ok);
        if (!ok)
            return c.fail(QStringLiteral("--retry takes a message id (vigilctl alerts outbox lists them)"), BadUsage);
        outbox.requeue(id, currentTimeMs());
        out() << "message " << id << " is queued again; the process that evaluates (serve, alerts run, the console) sends it\n";
        return Ok;
    }
    std::optional<OutboxStatus> status;
    if (c.parser.isSet(QStringLiteral("status"))) {
        status = outboxStatusFromName(c.parser.value(QStringLiteral("status")).toStdString());
        if (!status)
            return c.fail(QStringLiteral("--status is pending, delivered, rejected or abandoned"), BadUsage);
    }
    bool ok = false;
    const qlonglong limit = c.parser.value(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || limit < 1)
        return c.fail(QStringLiteral("--limit must be a positive number"), BadUsage);
    const auto messages = outbox.messages(status, limit);
    if (c.json) {
        QJsonArray a;
        for (const OutboxMessage &m : messages)
            a.append(QJsonObject{{QStringLiteral("id"), static_cast<qint64>(m.id)},
                                 {QStringLiteral("destination"), qs(m.destination)},
                                 {QStringLiteral("key"), qs(m.dedupKey)},
                                 {QStringLiteral("event"), qs(m.event)},
                                 {QStringLiteral("message_id"), qs(m.messageId)},
                                 {QStringLiteral("status"), QString::fromUtf8(outboxStatusName(m.status))},
                                 {QStringLiteral("attempts"), m.attempts},
                                 {QStringLiteral("created_at"), qs(formatRfc3339Ms(m.createdAtMs))},
                                 {QStringLiteral("next_attempt_at"), qs(formatRfc3339Ms(m.nextAttemptAtMs))},
                                 {QStringLiteral("last_status"), m.lastHttpStatus ? QJsonValue(*m.lastHttpStatus) : QJsonValue()},
                                 {QStringLiteral("last_error"), qs(m.lastError)},
                                 {QStringLiteral("last_response"), qs(m.lastResponse)}});
        printJson({{QStringLiteral("messages"), a}});
        return Ok;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("DESTINATION"), QStringLiteral("EVENT"), QStringLiteral("STATUS"),
                     QStringLiteral("TRIES"), QStringLiteral("KEY"), QStringLiteral("LAST ERROR")}, 7);
    for (const OutboxMessage &m : messages) {
        QString error = qs(m.lastError);
        if (!m.lastResponse.empty())
            error += QStringLiteral(": ") + qs(m.lastResponse).left(120).simplified();
        table.addRow({QString::number(m.id), qs(m.destination), qs(m.event), QString::fromUtf8(outboxStatusName(m.status)),
                      QString::number(m.attempts), qs(m.dedupKey), error});
    }
    table.print(out());
    out().flush();
    return Ok;
}

} // namespace vigil::cli
