#include "store/alert_rows.h"

namespace vigil {

namespace {
std::string textOf(const sql::Statement &s, int column)
{
    return s.isNull(column) ? std::string() : std::string(s.columnText(column));
}
} // namespace

std::string actorName(const std::string &user, const std::string &host)
{
    return user + "@" + host;
}

const char *const kAlertStateColumns =
    "dedup_key, rule, type, group_key, phase, episode, severity, pending_since, firing_since, last_true_at, "
    "resolved_at, last_notified_at, trigger_queued, value, threshold, summary, details, ack_by, ack_at, "
    "ack_reason, updated_at";

AlertState readAlertState(const sql::Statement &s)
{
    AlertState a;
    a.dedupKey = textOf(s, 0);
    a.rule = textOf(s, 1);
    a.type = alertTypeFromName(s.columnText(2)).value_or(AlertType::ErrorRate);
    a.group = textOf(s, 3);
    a.phase = alertPhaseFromName(s.columnText(4)).value_or(AlertPhase::Inactive);
    a.episode = s.columnInt(5);
    a.severity = severityFromName(s.columnText(6)).value_or(Severity::Critical);
    a.pendingSinceMs = s.columnInt(7);
    a.firingSinceMs = s.columnInt(8);
    a.lastTrueMs = s.columnInt(9);
    a.resolvedAtMs = s.columnInt(10);
    a.lastNotifiedMs = s.columnInt(11);
    a.triggerQueued = s.columnInt(12) != 0;
    a.value = s.columnDouble(13);
    a.threshold = s.columnDouble(14);
    a.summary = textOf(s, 15);
    a.detailsJson = textOf(s, 16);
    if (!s.isNull(17))
        a.acknowledged = Acknowledgement{textOf(s, 17), s.columnInt(18), textOf(s, 19)};
    a.updatedAtMs = s.columnInt(20);
    return a;
}

void upsertAlertState(sql::Database &db, const AlertState &a)
{
    sql::Statement s(db, std::string("INSERT OR REPLACE INTO alert_state(") + kAlertStateColumns +
                             ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)");
    s.bindText(1, a.dedupKey).bindText(2, a.rule).bindText(3, alertTypeName(a.type)).bindText(4, a.group);
    s.bindText(5, alertPhaseName(a.phase)).bind(6, a.episode).bindText(7, severityName(a.severity));
    s.bind(8, a.pendingSinceMs).bind(9, a.firingSinceMs).bind(10, a.lastTrueMs).bind(11, a.resolvedAtMs);
    s.bind(12, a.lastNotifiedMs).bind(13, a.triggerQueued ? 1 : 0).bind(14, a.value).bind(15, a.threshold);
    s.bindText(16, a.summary).bindText(17, a.detailsJson);
    if (a.acknowledged)
        s.bindText(18, a.acknowledged->by).bind(19, a.acknowledged->atMs).bindText(20, a.acknowledged->reason);
    else
        s.bindNull(18).bindNull(19).bindNull(20);
    s.bind(21, a.updatedAtMs);
    s.run();
}

const char *const kAlertHistoryColumns =
    "id, at, dedup_key, rule, type, group_key, episode, event, severity, value, threshold, summary, actor, reason";

void insertAlertHistory(sql::Database &db, const AlertHistoryEntry &e)
{
    sql::Statement s(db, "INSERT INTO alert_history(at, dedup_key, rule, type, group_key, episode, event, severity, "
                         "value, threshold, summary, actor, reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
    s.bind(1, e.atMs).bindText(2, e.dedupKey).bindText(3, e.rule).bindText(4, alertTypeName(e.type));
    s.bindText(5, e.group).bind(6, e.episode).bindText(7, e.event).bindText(8, severityName(e.severity));
    s.bind(9, e.value).bind(10, e.threshold).bindText(11, e.summary);
    s.bindTextOrNull(12, e.actor).bindTextOrNull(13, e.reason);
    s.run();
}

AlertHistoryEntry readAlertHistory(const sql::Statement &s)
{
    AlertHistoryEntry e;
    e.id = s.columnInt(0);
    e.atMs = s.columnInt(1);
    e.dedupKey = textOf(s, 2);
    e.rule = textOf(s, 3);
    e.type = alertTypeFromName(s.columnText(4)).value_or(AlertType::ErrorRate);
    e.group = textOf(s, 5);
    e.episode = s.columnInt(6);
    e.event = textOf(s, 7);
    e.severity = severityFromName(s.columnText(8)).value_or(Severity::Critical);
    e.value = s.columnDouble(9);
    e.threshold = s.columnDouble(10);
    e.summary = textOf(s, 11);
    e.actor = textOf(s, 12);
    e.reason = textOf(s, 13);
    return e;
}

const char *const kOutboxColumns =
    "id, destination, dedup_key, episode, event, message_id, payload, created_at, next_attempt_at, attempts, "
    "status, last_attempt_at, last_status, last_error, last_response, delivered_at";

bool insertOutboxMessage(sql::Database &db, const OutboxMessage &m)
{
    sql::Statement s(db, "INSERT OR IGNORE INTO alert_outbox(destination, dedup_key, episode, event, message_id, "
                         "payload, created_at, next_attempt_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
    s.bindText(1, m.destination).bindText(2, m.dedupKey).bind(3, m.episode).bindText(4, m.event);
    s.bindText(5, m.messageId).bindText(6, m.payloadJson).bind(7, m.createdAtMs).bind(8, m.nextAttemptAtMs);
    s.run();
    return sqlite3_changes(db.handle()) == 1;
}

OutboxMessage readOutboxMessage(const sql::Statement &s)
{
    OutboxMessage m;
    m.id = s.columnInt(0);
    m.destination = textOf(s, 1);
    m.dedupKey = textOf(s, 2);
    m.episode = s.columnInt(3);
    m.event = textOf(s, 4);
    m.messageId = textOf(s, 5);
    m.payloadJson = textOf(s, 6);
    m.createdAtMs = s.columnInt(7);
    m.nextAttemptAtMs = s.columnInt(8);
    m.attempts = static_cast<int>(s.columnInt(9));
    m.status = outboxStatusFromName(s.columnText(10)).value_or(OutboxStatus::Pending);
    m.lastAttemptAtMs = s.columnOptionalInt(11);
    if (const auto status = s.columnOptionalInt(12))
        m.lastHttpStatus = static_cast<int>(*status);
    m.lastError = textOf(s, 13);
    m.lastResponse = textOf(s, 14);
    m.deliveredAtMs = s.columnOptionalInt(15);
    return m;
}

} // namespace vigil
