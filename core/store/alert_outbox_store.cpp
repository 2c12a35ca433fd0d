#include "store/alert_outbox_store.h"

#include "store/alert_rows.h"
#include "store/connection.h"

namespace vigil {

namespace {
constexpr std::size_t kResponseLimit = 4096;

std::string clip(const std::string &text)
{
    return text.size() <= kResponseLimit ? text : text.substr(0, kResponseLimit);
}

void bindOutcome(sql::Statement &s, int first, const AttemptOutcome &o)
{
    s.bind(first, o.atMs);
    if (o.httpStatus)
        s.bind(first + 1, *o.httpStatus);
    else
        s.bindNull(first + 1);
    s.bindTextOrNull(first + 2, o.error);
}

// The message's row and its destination's health, in the caller's transaction.
std::string destinationOf(sql::Database &db, std::int64_t id)
{
    sql::Statement s(db, "SELECT destination FROM alert_outbox WHERE id = ?1");
    s.bind(1, id);
    return s.step() ? std::string(s.columnText(0)) : std::string();
}

void recordFailure(sql::Database &db, const std::string &destination, const AttemptOutcome &o, bool rejected)
{
    sql::Statement s(db, "INSERT INTO alert_destinations(name, failing_since, last_failure_at, last_status, last_error, "
                         "rejected_at) VALUES(?1, ?2, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET "
                         "failing_since = coalesce(failing_since, excluded.failing_since), last_failure_at = "
                         "excluded.last_failure_at, last_status = excluded.last_status, last_error = "
                         "excluded.last_error, rejected_at = coalesce(excluded.rejected_at, rejected_at)");
    s.bindText(1, destination);
    bindOutcome(s, 2, o);
    if (rejected)
        s.bind(5, o.atMs);
    else
        s.bindNull(5);
    s.run();
}
} // namespace

struct AlertOutbox::Impl
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

AlertOutbox::AlertOutbox(const std::string &storePath, Access access) : m_impl(std::make_unique<Impl>(storePath, access)) {}

AlertOutbox::~AlertOutbox() = default;

std::vector<OutboxMessage> AlertOutbox::due(std::int64_t nowMs, std::size_t limit)
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db,
                         std::string("SELECT ") + kOutboxColumns +
                             " FROM alert_outbox o WHERE status = 'pending' AND next_attempt_at <= ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM alert_outbox p WHERE p.status = 'pending' AND p.destination = "
                             "o.destination AND p.dedup_key = o.dedup_key AND p.id < o.id) ORDER BY id LIMIT ?2");
        s.bind(1, nowMs).bind(2, static_cast<std::int64_t>(limit));
        std::vector<OutboxMessage> out;
        while (s.step())
            out.push_back(readOutboxMessage(s));
        return out;
    });
}

std::optional<std::int64_t> AlertOutbox::nextAttemptMs()
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, "SELECT min(next_attempt_at) FROM alert_outbox WHERE status = 'pending'");
        return s.step() ? s.columnOptionalInt(0) : std::nullopt;
    });
}

void AlertOutbox::markDelivered(std::int64_t id, const AttemptOutcome &outcome)
{
    m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        sql::Statement s(db, "UPDATE alert_outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_at = ?1, "
                             "last_status = ?2, last_error = ?3, delivered_at = ?1 WHERE id = ?4 AND status = 'pending'");
        bindOutcome(s, 1, outcome);
        s.bind(4, id);
        s.run();
        const std::string destination = destinationOf(db, id);
        sql::Statement health(db, "INSERT INTO alert_destinations(name, last_success_at) VALUES(?1, ?2) "
                                  "ON CONFLICT(name) DO UPDATE SET last_success_at = excluded.last_success_at, "
                                  "failing_since = NULL, rejected_at = NULL");
        health.bindText(1, destination).bind(2, outcome.atMs);
        health.run();
        txn.commit();
        return 0;
    });
}

void AlertOutbox::markRetry(std::int64_t id, const AttemptOutcome &outcome, std::int64_t nextAttemptAtMs)
{
    m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        sql::Statement s(db, "UPDATE alert_outbox SET attempts = attempts + 1, last_attempt_at = ?1, last_status = ?2, "
                             "last_error = ?3, last_response = ?4, next_attempt_at = ?5 WHERE id = ?6 AND status = 'pending'");
        const std::string response = clip(outcome.response); // bound without a copy
        bindOutcome(s, 1, outcome);
        s.bindTextOrNull(4, response).bind(5, nextAttemptAtMs).bind(6, id);
        s.run();
        recordFailure(db, destinationOf(db, id), outcome, false);
        txn.commit();
        return 0;
    });
}

void AlertOutbox::markFailed(std::int64_t id, const AttemptOutcome &outcome, bool abandoned)
{
    m_impl->guarded([&] {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        sql::Statement s(db, "UPDATE alert_outbox SET status = ?5, attempts = attempts + 1, last_attempt_at = ?1, "
                             "last_status = ?2, last_error = ?3, last_response = ?4 WHERE id = ?6 AND status = 'pending'");
        const std::string response = clip(outcome.response); // bound without a copy
        bindOutcome(s, 1, outcome);
        s.bindTextOrNull(4, response).bindText(5, abandoned ? "abandoned" : "rejected").bind(6, id);
        s.run();
        recordFailure(db, destinationOf(db, id), outcome, !abandoned);
        txn.commit();
        return 0;
    });
}

void AlertOutbox::requeue(std::int64_t id, std::int64_t nowMs)
{
    m_impl->guarded([&] {
        sql::Statement s(m_impl->db, "UPDATE alert_outbox SET status = 'pending', next_attempt_at = ?1 WHERE id = ?2 "
                                     "AND status IN ('pending', 'rejected', 'abandoned')");
        s.bind(1, nowMs).bind(2, id);
        s.run();
        return 0;
    });
}

std::vector<DestinationHealth> AlertOutbox::destinations()
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, "SELECT name, last_success_at, failing_since, last_failure_at, last_status, "
                                     "last_error, rejected_at FROM alert_destinations ORDER BY name");
        std::vector<DestinationHealth> out;
        while (s.step()) {
            DestinationHealth h;
            h.name = std::string(s.columnText(0));
            h.lastSuccessMs = s.columnOptionalInt(1);
            h.failingSinceMs = s.columnOptionalInt(2);
            h.lastFailureMs = s.columnOptionalInt(3);
            if (const auto status = s.columnOptionalInt(4))
                h.lastHttpStatus = static_cast<int>(*status);
            h.lastError = s.isNull(5) ? std::string() : std::string(s.columnText(5));
            h.rejectedAtMs = s.columnOptionalInt(6);
            out.push_back(std::move(h));
        }
        return out;
    });
}

std::vector<OutboxMessage> AlertOutbox::messages(std::optional<OutboxStatus> status, std::int64_t limit)
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kOutboxColumns + " FROM alert_outbox" +
                                         (status ? " WHERE status = ?1" : "") + " ORDER BY id DESC LIMIT ?2");
        if (status)
            s.bindText(1, outboxStatusName(*status));
        s.bind(2, limit);
        std::vector<OutboxMessage> out;
        while (s.step())
            out.push_back(readOutboxMessage(s));
        return out;
    });
}

OutboxCounts AlertOutbox::counts()
{
    return m_impl->guarded([&] {
        sql::Statement s(m_impl->db, "SELECT status, count(*) FROM alert_outbox GROUP BY status");
        OutboxCounts c;
        while (s.step()) {
            const std::string_view status = s.columnText(0);
            const std::int64_t n = s.columnInt(1);
            if (status == "pending")
                c.pending = n;
            else if (status == "delivered")
                c.delivered = n;
            else if (status == "rejected")
                c.rejected = n;
            else
                c.abandoned = n;
        }
        return c;
    });
}

} // namespace vigil
