#include "store/alert_store.h"

#include "store/alert_rows.h"
#include "store/connection.h"
#include "store/operator_log_store.h"

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include <QSysInfo>

namespace vigil {

namespace {

constexpr const char *kLeaseName = "evaluator";

std::string hostName()
{
    const std::string host = QSysInfo::machineHostName().toStdString();
    return host.empty() ? std::string("unknown-host") : host;
}

bool processRunning(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::optional<LeaseInfo> readLease(sql::Database &db)
{
    sql::Statement s(db, "SELECT holder, host, pid, acquired_at, expires_at, last_evaluated_at FROM alert_lease "
                         "WHERE name = ?1");
    s.bindText(1, kLeaseName);
    if (!s.step())
        return std::nullopt;
    LeaseInfo l;
    l.holder = std::string(s.columnText(0));
    l.host = std::string(s.columnText(1));
    l.pid = s.columnInt(2);
    l.acquiredAtMs = s.columnInt(3);
    l.expiresAtMs = s.columnInt(4);
    l.lastEvaluatedAtMs = s.columnOptionalInt(5);
    return l;
}

std::vector<Silence> readSilences(sql::Statement &s)
{
    std::vector<Silence> out;
    while (s.step()) {
        Silence x;
        x.id = s.columnInt(0);
        x.target = std::string(s.columnText(1));
        x.startsAtMs = s.columnInt(2);
        x.endsAtMs = s.columnInt(3);
        x.by = std::string(s.columnText(4));
        x.reason = std::string(s.columnText(5));
        x.cancelledAtMs = s.columnOptionalInt(6);
        out.push_back(std::move(x));
    }
    return out;
}

constexpr const char *kSilenceColumns = "id, target, starts_at, ends_at, actor, reason, cancelled_at";

AlertHistoryEntry historyOf(const AlertState &a, const std::string &event, std::int64_t atMs)
{
    AlertHistoryEntry e;
    e.atMs = atMs;
    e.dedupKey = a.dedupKey;
    e.rule = a.rule;
    e.type = a.type;
    e.group = a.group;
    e.episode = a.episode;
    e.event = event;
    e.severity = a.severity;
    e.value = a.value;
    e.threshold = a.threshold;
    e.summary = a.summary;
    return e;
}

std::optional<AlertState> stateOf(sql::Database &db, const std::string &key)
{
    sql::Statement s(db, std::string("SELECT ") + kAlertStateColumns + " FROM alert_state WHERE dedup_key = ?1");
    s.bindText(1, key);
    if (!s.step())
        return std::nullopt;
    return readAlertState(s);
}

} // namespace

struct AlertStore::Impl
{
    std::string path;
    sql::Database db;
    Impl(const std::string &p, Access access)
        : path(p), db(openConnection(p, access == Access::ReadOnly ? ConnectionRole::Reader : ConnectionRole::Writer))
    {
    }

    template <typename F> auto guarded(F &&f)
    {
        try {
            return f();
        } catch (const sql::Error &e) {
            throw toStoreError(e, path);
        }
    }
};

AlertStore::AlertStore(const std::string &storePath, Access access)
    : m_impl(std::make_unique<Impl>(storePath, access))
{
}

AlertStore::~AlertStore() = default;

std::vector<AlertState> AlertStore::states()
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kAlertStateColumns + " FROM alert_state ORDER BY dedup_key");
        std::vector<AlertState> out;
        while (s.step())
            out.push_back(readAlertState(s));
        return out;
    });
}

std::optional<AlertState> AlertStore::state(const std::string &dedupKey)
{
    return m_impl->guarded([&] { return stateOf(m_impl->db, dedupKey); });
}

bool AlertStore::acquireLease(const std::string &holder, std::int64_t wallMs, std::int64_t leaseMs)
{
    return m_impl->guarded([&] {
        sql::Transaction txn(m_impl->db);
        const auto current = readLease(m_impl->db);
        const std::string host = hostName();
        const bool mine = current && current->holder == holder;
        const bool free = !current || current->expiresAtMs <= wallMs ||
                          (current->host == host && !processRunning(current->pid));
        if (!mine && !free)
            return false;
        sql::Statement s(m_impl->db,
                         "INSERT INTO alert_lease(name, holder, host, pid, acquired_at, expires_at) "
                         "VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, "
                         "host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at, "
                         "acquired_at = CASE WHEN alert_lease.holder = excluded.holder THEN alert_lease.acquired_at "
                         "ELSE excluded.acquired_at END");
        s.bindText(1, kLeaseName).bindText(2, holder).bindText(3, host).bind(4, static_cast<std::int64_t>(::getpid()));
        s.bind(5, wallMs).bind(6, wallMs + leaseMs);
        s.run();
        txn.commit();
        return true;
    });
}

void AlertStore::releaseLease(const std::string &holder)
{
    m_impl->guarded([&] {
        sql::Statement s(m_impl->db, "UPDATE alert_lease SET expires_at = 0 WHERE name = ?1 AND holder = ?2");
        s.bindText(1, kLeaseName).bindText(2, holder);
        s.run();
        return 0;
    });
}

std::optional<LeaseInfo> AlertStore::lease()
{
    return m_impl->guarded([&] { return readLease(m_impl->db); });
}

bool AlertStore::writeEvaluation(const EvaluationWrite &write)
{
    return m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        sql::Statement fence(db, "UPDATE alert_lease SET expires_at = ?1, last_evaluated_at = max(coalesce("
                                 "last_evaluated_at, 0), ?2) WHERE name = ?3 AND holder = ?4");
        fence.bind(1, write.wallMs + write.leaseMs).bind(2, write.evaluatedAtMs).bindText(3, kLeaseName);
        fence.bindText(4, write.leaseHolder);
        fence.run();
        if (sqlite3_changes(db.handle()) != 1)
            return false; // another process evaluates now; the transaction rolls back
        for (const AlertState &state : write.states)
            upsertAlertState(db, state);
        for (const AlertHistoryEntry &entry : write.history)
            insertAlertHistory(db, entry);
        for (const OutboxMessage &message : write.outbox)
            insertOutboxMessage(db, message);
        txn.commit();
        return true;
    });
}

std::vector<Silence> AlertStore::silences(std::int64_t nowMs, bool includeEnded)
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kSilenceColumns + " FROM alert_silences" +
                                         (includeEnded ? "" : " WHERE cancelled_at IS NULL AND ends_at > ?1") +
                                         " ORDER BY id DESC");
        if (!includeEnded)
            s.bind(1, nowMs);
        return readSilences(s);
    });
}

Silence AlertStore::addSilence(const std::string &target, std::int64_t startsAtMs, std::int64_t endsAtMs,
                               const std::string &reason, const Actor &actor)
{
    return m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        OperatorAction action;
        action.action = "alert.silence";
        action.subject = target;
        action.toValue = "until " + std::to_string(endsAtMs);
        action.reason = reason;
        action.details = "{\"starts_at\":" + std::to_string(startsAtMs) + ",\"ends_at\":" + std::to_string(endsAtMs) + "}";
        const std::int64_t logId = appendOperatorLog(db, action, actor, startsAtMs);
        Silence silence;
        silence.target = target;
        silence.startsAtMs = startsAtMs;
        silence.endsAtMs = endsAtMs;
        silence.by = actorName(actor.user, actor.host);
        silence.reason = reason;
        sql::Statement s(db, "INSERT INTO alert_silences(target, starts_at, ends_at, actor, reason, operator_log_id) "
                             "VALUES(?1,?2,?3,?4,?5,?6)");
        s.bindText(1, target).bind(2, startsAtMs).bind(3, endsAtMs).bindText(4, silence.by).bindText(5, reason);
        s.bind(6, logId);
        s.run();
        silence.id = sqlite3_last_insert_rowid(db.handle());

        // A history row on each alert it mutes (and on the target itself
        // when that is a rule), so the Alerts page shows who muted what.
        sql::Statement matching(db, std::string("SELECT ") + kAlertStateColumns +
                                        " FROM alert_state WHERE dedup_key = ?1 OR rule = ?1");
        matching.bindText(1, target);
        bool any = false;
        while (matching.step()) {
            AlertHistoryEntry e = historyOf(readAlertState(matching), "silenced", startsAtMs);
            e.actor = silence.by;
            e.reason = reason;
            insertAlertHistory(db, e);
            any = true;
        }
        if (!any) {
            AlertHistoryEntry e;
            e.atMs = startsAtMs;
            e.dedupKey = target;
            e.rule = target;
            e.event = "silenced";
            e.actor = silence.by;
            e.reason = reason;
            insertAlertHistory(db, e);
        }
        txn.commit();
        return silence;
    });
}

Silence AlertStore::endSilence(std::int64_t id, const std::string &reason, const Actor &actor, std::int64_t atMs)
{
    return m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        sql::Statement read(db, std::string("SELECT ") + kSilenceColumns + " FROM alert_silences WHERE id = ?1");
        read.bind(1, id);
        auto found = readSilences(read);
        if (found.empty())
            throw AlertActionRefused("no silence has id " + std::to_string(id));
        Silence silence = found.front();
        if (!silence.activeAt(atMs) && silence.startsAtMs <= atMs)
            throw AlertActionRefused("silence " + std::to_string(id) + " of \"" + silence.target + "\" has already ended");
        OperatorAction action;
        action.action = "alert.unsilence";
        action.subject = silence.target;
        action.fromValue = "until " + std::to_string(silence.endsAtMs);
        action.reason = reason;
        appendOperatorLog(db, action, actor, atMs);
        sql::Statement s(db, "UPDATE alert_silences SET cancelled_at = ?1 WHERE id = ?2");
        s.bind(1, atMs).bind(2, id);
        s.run();
        AlertHistoryEntry e;
        e.atMs = atMs;
        e.dedupKey = silence.target;
        e.rule = silence.target;
        e.event = "unsilenced";
        e.actor = actorName(actor.user, actor.host);
        e.reason = reason;
        insertAlertHistory(db, e);
        txn.commit();
        silence.cancelledAtMs = atMs;
        return silence;
    });
}

AlertState AlertStore::acknowledge(const std::string &dedupKey, const std::string &reason, const Actor &actor,
                                   std::int64_t atMs,
                                   const std::function<std::vector<OutboxMessage>(const AlertState &)> &notify)
{
    return m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        auto state = stateOf(db, dedupKey);
        if (!state)
            throw AlertActionRefused("no alert has the key \"" + dedupKey + "\" (vigilctl alerts list shows them)");
        if (state->phase == AlertPhase::Inactive)
            throw AlertActionRefused("alert \"" + dedupKey + "\" is not firing (it resolved" +
                                     (state->resolvedAtMs ? "" : " or never fired") + "): nothing to acknowledge");
        if (state->acknowledged)
            throw AlertActionRefused("alert \"" + dedupKey + "\" was already acknowledged by " + state->acknowledged->by);
        OperatorAction action;
        action.action = "alert.acknowledge";
        action.subject = dedupKey;
        action.fromValue = std::string(alertPhaseName(state->phase));
        action.toValue = "acknowledged";
        action.reason = reason;
        action.details = "{\"episode\":" + std::to_string(state->episode) + "}";
        appendOperatorLog(db, action, actor, atMs);
        state->acknowledged = Acknowledgement{actorName(actor.user, actor.host), atMs, reason};
        state->updatedAtMs = atMs;
        upsertAlertState(db, *state);
        AlertHistoryEntry e = historyOf(*state, "acknowledged", atMs);
        e.actor = state->acknowledged->by;
        e.reason = reason;
        insertAlertHistory(db, e);
        if (notify) {
            for (const OutboxMessage &m : notify(*state))
                insertOutboxMessage(db, m);
        }
        txn.commit();
        return *state;
    });
}

std::vector<AlertHistoryEntry> AlertStore::history(const AlertHistoryFilter &filter)
{
    return m_impl->guarded([&] {
        std::string sql = std::string("SELECT ") + kAlertHistoryColumns +
                          " FROM alert_history WHERE at >= ?1 AND at < ?2";
        if (filter.dedupKey)
            sql += " AND dedup_key = ?3";
        if (!filter.events.empty()) {
            sql += " AND event IN (";
            for (std::size_t i = 0; i < filter.events.size(); ++i)
                sql += (i ? ",?" : "?") + std::to_string(10 + i);
            sql += ")";
        }
        sql += " ORDER BY at DESC, id DESC LIMIT ?4";
        sql::Statement s(m_impl->db, sql);
        s.bind(1, filter.fromMs.value_or(INT64_MIN)).bind(2, filter.toMs.value_or(INT64_MAX));
        if (filter.dedupKey)
            s.bindText(3, *filter.dedupKey);
        s.bind(4, filter.limit);
        for (std::size_t i = 0; i < filter.events.size(); ++i)
            s.bindText(static_cast<int>(10 + i), filter.events[i]);
        std::vector<AlertHistoryEntry> out;
        while (s.step())
            out.push_back(readAlertHistory(s));
        return out;
    });
}

} // namespace vigil
