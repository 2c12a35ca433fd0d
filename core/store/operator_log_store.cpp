#include "store/operator_log_store.h"

#include "audit/canonical_hash.h"
#include "metrics/time_window.h"
#include "store/chain_store.h"
#include "store/connection.h"

namespace vigil {

namespace {
void bindOptional(sql::Statement &s, int index, const std::optional<std::string> &v)
{
    if (v)
        s.bindText(index, *v);
    else
        s.bindNull(index);
}

std::optional<std::string> optionalText(const sql::Statement &s, int column)
{
    if (s.isNull(column))
        return std::nullopt;
    return std::string(s.columnText(column));
}
} // namespace

std::int64_t appendOperatorLog(sql::Database &db, const OperatorAction &action, const Actor &actor,
                               std::int64_t at)
{
    sql::Statement insert(db, "INSERT INTO operator_log(at, actor, host, action, subject, from_value, "
                              "to_value, reason, details) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    insert.bind(1, at).bindText(2, actor.user).bindText(3, actor.host);
    insert.bindText(4, action.action).bindText(5, action.subject);
    bindOptional(insert, 6, action.fromValue);
    bindOptional(insert, 7, action.toValue);
    bindOptional(insert, 8, action.reason);
    bindOptional(insert, 9, action.details);
    insert.run();
    OperatorLogEntry entry;
    entry.id = sqlite3_last_insert_rowid(db.handle());
    entry.at = at;
    entry.actor = actor.user;
    entry.host = actor.host;
    entry.action = action;
    appendChainLink(db, kChainOperator, entry.id, 1, operatorEntryHash(entry), at);
    return entry.id;
}

struct OperatorLog::Impl
{
    std::string path;
    sql::Database db;
    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Writer)) {}
};

OperatorLog::OperatorLog(const std::string &storePath) : m_impl(std::make_unique<Impl>(storePath)) {}

OperatorLog::~OperatorLog() = default;

OperatorLogEntry OperatorLog::record(const OperatorAction &action, const Actor &actor)
{
    try {
        sql::Transaction txn(m_impl->db);
        OperatorLogEntry entry;
        entry.at = currentTimeMs();
        entry.id = appendOperatorLog(m_impl->db, action, actor, entry.at);
        txn.commit();
        entry.actor = actor.user;
        entry.host = actor.host;
        entry.action = action;
        return entry;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<OperatorLogEntry> OperatorLog::list(const Filter &filter)
{
    try {
        std::string sql = "SELECT id, at, actor, host, action, subject, from_value, to_value, reason, "
                          "details FROM operator_log WHERE at >= ?1 AND at < ?2";
        if (filter.action) {
            sql += filter.action->ends_with('.') ? " AND substr(action, 1, length(?3)) = ?3" : " AND action = ?3";
        }
        sql += " ORDER BY id DESC LIMIT ?4";
        sql::Statement s(m_impl->db, sql);
        s.bind(1, filter.fromMs.value_or(INT64_MIN)).bind(2, filter.toMs.value_or(INT64_MAX));
        if (filter.action)
            s.bindText(3, *filter.action);
        s.bind(4, filter.limit);
        std::vector<OperatorLogEntry> out;
        while (s.step()) {
            OperatorLogEntry e;
            e.id = s.columnInt(0);
            e.at = s.columnInt(1);
            e.actor = std::string(s.columnText(2));
            e.host = std::string(s.columnText(3));
            e.action.action = std::string(s.columnText(4));
            e.action.subject = std::string(s.columnText(5));
            e.action.fromValue = optionalText(s, 6);
            e.action.toValue = optionalText(s, 7);
            e.action.reason = optionalText(s, 8);
            e.action.details = optionalText(s, 9);
            out.push_back(std::move(e));
        }
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
