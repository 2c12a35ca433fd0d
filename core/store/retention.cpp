#include "store/retention.h"

#include "metrics/time_window.h"
#include "store/chain_store.h"
#include "store/connection.h"
#include "store/fts_rows.h"
#include "store/operator_log_store.h"
#include "store/rollup_accumulator.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace vigil {

int RetentionPolicy::daysFor(const std::string &tenant) const
{
    const auto it = tenantPayloadDays.find(tenant);
    return it == tenantPayloadDays.end() ? payloadDays : it->second;
}

namespace {
using Clock = std::chrono::steady_clock;
// Each purge transaction aims at ~40 ms (its row count adapts), and after each
// one the purge pauses as long as it held the lock, at least 20 ms: SQLite's
// write lock is not fair, and a loop that commits and begins again at once
// would keep a waiting ingest writer (sleeping in its busy handler) out for
// seconds.
constexpr std::int64_t kFirstRowsPerTransaction = 100;
constexpr double kTargetTransactionMs = 40;
} // namespace

struct Retention::Impl
{
    std::string path;
    sql::Database db;
    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Writer)) {}

    std::set<std::string> heldTenants()
    {
        std::set<std::string> out;
        sql::Statement s(db, "SELECT tenant FROM retention_holds");
        while (s.step())
            out.insert(std::string(s.columnText(0)));
        return out;
    }

    // Label ids per tenant.
    std::map<std::string, std::vector<std::int64_t>> labelsByTenant()
    {
        std::map<std::string, std::vector<std::int64_t>> out;
        sql::Statement s(db, "SELECT id, tenant FROM labels");
        while (s.step())
            out[std::string(s.columnText(1))].push_back(s.columnInt(0));
        return out;
    }

    static std::string idList(const std::vector<std::int64_t> &ids)
    {
        std::string out;
        for (auto id : ids)
            out += (out.empty() ? "" : ",") + std::to_string(id);
        return out;
    }

    PurgeSummary run(const RetentionPolicy &policy, std::int64_t nowMs, bool dryRun, const Actor *actor,
                     const std::atomic<bool> *cancel, const std::function<void(std::int64_t)> &progress)
    {
        PurgeSummary summary;
        const std::set<std::string> held = heldTenants();
        for (const auto &[tenant, labelIds] : labelsByTenant()) {
            const std::int64_t cutoff = nowMs - static_cast<std::int64_t>(policy.daysFor(tenant)) * kDayMs;
            const std::string where = " FROM requests WHERE label_id IN (" + idList(labelIds) + ") AND ts < ?1";
            if (held.count(tenant)) {
                sql::Statement n(db, "SELECT count(*)" + where);
                n.bind(1, cutoff);
                if (n.step() && n.columnInt(0) > 0)
                    summary.heldTenants.push_back(tenant);
                continue;
            }
            if (dryRun) {
                sql::Statement n(db, "SELECT count(*)" + where);
                n.bind(1, cutoff);
                if (n.step() && n.columnInt(0) > 0) {
                    summary.recordsByTenant[tenant] = n.columnInt(0);
                    summary.records += n.columnInt(0);
                }
                continue;
            }
            std::int64_t chunk = kFirstRowsPerTransaction;
            while (!(cancel && cancel->load())) {
                const auto started = Clock::now();
                sql::Transaction txn(db);
                sql::Statement rows(db, "SELECT id, batch_id, row_hash, input, output, retrieval_context" + where +
                                            " ORDER BY ts LIMIT " + std::to_string(chunk));
                rows.bind(1, cutoff);
                sql::Statement keep(db, "INSERT OR IGNORE INTO purged_rows(batch_id, row_id, row_hash) VALUES(?1, ?2, ?3)");
                sql::Statement remove(db, "DELETE FROM requests WHERE id = ?1");
                std::int64_t n = 0;
                while (rows.step()) {
                    const std::int64_t id = rows.columnInt(0);
                    if (!rows.isNull(2)) {
                        // The batch's chain link still needs this record's hash.
                        keep.bind(1, rows.columnInt(1)).bind(2, id).bindBlob(3, rows.columnBlob(2));
                        keep.run();
                    }
                    ftsDeleteRow(db, id, rows.columnText(3), rows.columnText(4), rows.columnText(5));
                    remove.bind(1, id);
                    remove.run();
                    ++n;
                }
                if (n == 0)
                    break;
                txn.commit();
                summary.records += n;
                summary.recordsByTenant[tenant] += n;
                ++summary.transactions;
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
                summary.longestTransactionMs = std::max(summary.longestTransactionMs, ms);
                if (progress)
                    progress(summary.records);
                if (ms < kTargetTransactionMs / 2 && chunk < 5000)
                    chunk *= 2;
                else if (ms > kTargetTransactionMs * 2 && chunk > 10)
                    chunk /= 2;
                std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(std::max(20.0, ms)));
            }
        }

        // Rollups and the quarantine.
        const std::int64_t rollupCutoff = nowMs - static_cast<std::int64_t>(policy.rollupDays) * kDayMs;
        const std::int64_t quarantineCutoff = nowMs - static_cast<std::int64_t>(policy.payloadDays) * kDayMs;
        for (const char *table : {"rollup_minute", "rollup_hour", "rollup_error_minute", "rollup_error_hour"}) {
            const std::string t(table);
            if (dryRun) {
                sql::Statement n(db, "SELECT count(*) FROM " + t + " WHERE bucket < ?1");
                n.bind(1, rollupCutoff);
                summary.rollupRows += n.step() ? n.columnInt(0) : 0;
                continue;
            }
            // A day of buckets per transaction.
            sql::Statement oldest(db, "SELECT min(bucket) FROM " + t);
            if (!oldest.step() || oldest.isNull(0))
                continue;
            for (std::int64_t from = oldest.columnInt(0); from < rollupCutoff && !(cancel && cancel->load());
                 from += kDayMs) {
                sql::Transaction txn(db);
                sql::Statement del(db, "DELETE FROM " + t + " WHERE bucket >= ?1 AND bucket < ?2");
                del.bind(1, from).bind(2, std::min(from + kDayMs, rollupCutoff));
                del.run();
                summary.rollupRows += sqlite3_changes(db.handle());
                txn.commit();
                ++summary.transactions;
            }
        }
        {
            sql::Statement n(db, dryRun ? "SELECT count(*) FROM quarantine WHERE received_at < ?1"
                                        : "DELETE FROM quarantine WHERE received_at < ?1");
            n.bind(1, quarantineCutoff);
            if (dryRun)
                summary.quarantineRows = n.step() ? n.columnInt(0) : 0;
            else {
                n.run();
                summary.quarantineRows = sqlite3_changes(db.handle());
            }
        }
        if (dryRun)
            return summary;

        // The purge itself is an operator action, and compacts the chain prefix
        // that no longer covers any record, in the same transaction.
        sql::Transaction txn(db);
        summary.checkpointSeq = compactChain();
        if (summary.records > 0 || summary.rollupRows > 0 || summary.quarantineRows > 0) {
            QJsonObject byTenant;
            for (const auto &[t, n] : summary.recordsByTenant)
                byTenant.insert(QString::fromStdString(t), static_cast<qint64>(n));
            QJsonObject details{{QStringLiteral("records"), static_cast<qint64>(summary.records)},
                                {QStringLiteral("records_by_tenant"), byTenant},
                                {QStringLiteral("rollup_rows"), static_cast<qint64>(summary.rollupRows)},
                                {QStringLiteral("quarantine_rows"), static_cast<qint64>(summary.quarantineRows)}};
            if (summary.checkpointSeq)
                details.insert(QStringLiteral("chain_checkpoint_seq"), static_cast<qint64>(*summary.checkpointSeq));
            OperatorAction action;
            action.action = "retention.purge";
            action.subject = "store";
            action.reason = "retention: payloads " + std::to_string(policy.payloadDays) + " days, rollups " +
                            std::to_string(policy.rollupDays) + " days";
            action.details = QJsonDocument(details).toJson(QJsonDocument::Compact).toStdString();
            appendOperatorLog(db, action, *actor, currentTimeMs());
        }
        txn.commit();

        // Give the space back in small steps and keep the WAL short.
        for (int i = 0; i < 10000 && !(cancel && cancel->load()); ++i) {
            const std::int64_t before = db.queryInt("PRAGMA freelist_count");
            if (before == 0)
                break;
            db.exec("PRAGMA incremental_vacuum(256)");
            summary.pagesReclaimed += before - db.queryInt("PRAGMA freelist_count");
            if (i % 16 == 15)
                sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        return summary;
    }

    // Replaces the links before the oldest batch that still has records with a
    // checkpoint. Runs inside the caller's transaction.
    std::optional<std::int64_t> compactChain()
    {
        sql::Statement first(db, "SELECT batch_id FROM requests WHERE row_hash IS NOT NULL ORDER BY id LIMIT 1");
        std::string linkCondition;
        if (first.step()) {
            // The last link before the first link of the oldest live batch.
            linkCondition = "seq < (SELECT seq FROM chain_links WHERE kind = 1 AND ref = " +
                            std::to_string(first.columnInt(0)) + ")";
        } else {
            // No records left: everything but the head. The head stays so the
            // chain still says how far it reached: an operator-log entry or
            // batch added later without a link is still noticed.
            linkCondition = "seq < (SELECT max(seq) FROM chain_links)";
        }
        sql::Statement last(db, "SELECT seq, hash FROM chain_links WHERE " + linkCondition + " ORDER BY seq DESC LIMIT 1");
        if (!last.step())
            return std::nullopt;
        const std::int64_t seq = last.columnInt(0);
        const std::string hash(last.columnBlob(1));
        sql::Statement checkpoint(db, "INSERT INTO chain_checkpoints(seq, hash, at, reason) VALUES(?1, ?2, ?3, 'purge') "
                                      "ON CONFLICT(seq) DO UPDATE SET reason = 'purge'");
        checkpoint.bind(1, seq).bindBlob(2, hash).bind(3, currentTimeMs());
        checkpoint.run();
        sql::Statement drop(db, "DELETE FROM chain_links WHERE seq <= ?1");
        drop.bind(1, seq);
        drop.run();
        // The hashes of purged rows are kept only while a link still covers their batch.
        db.exec("DELETE FROM purged_rows WHERE batch_id NOT IN (SELECT ref FROM chain_links WHERE kind = 1)");
        return seq;
    }
};

Retention::Retention(const std::string &storePath) : m_impl(std::make_unique<Impl>(storePath)) {}

Retention::~Retention() = default;

PurgeSummary Retention::plan(const RetentionPolicy &policy, std::int64_t nowMs)
{
    try {
        return m_impl->run(policy, nowMs, true, nullptr, nullptr, {});
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

PurgeSummary Retention::purge(const RetentionPolicy &policy, std::int64_t nowMs, const Actor &actor,
                              const std::atomic<bool> *cancel, const std::function<void(std::int64_t)> &progress)
{
    try {
        return m_impl->run(policy, nowMs, false, &actor, cancel, progress);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

void Retention::hold(const std::string &tenant, const std::string &reason, const Actor &actor)
{
    try {
        sql::Transaction txn(m_impl->db);
        const std::int64_t now = currentTimeMs();
        sql::Statement s(m_impl->db, "INSERT INTO retention_holds(tenant, since, actor, reason) VALUES(?1, ?2, ?3, ?4) "
                                     "ON CONFLICT(tenant) DO UPDATE SET reason = excluded.reason");
        s.bindText(1, tenant).bind(2, now).bindText(3, actor.user).bindText(4, reason);
        s.run();
        OperatorAction action{"retention.hold", tenant, std::string("released"), std::string("held"), reason, {}};
        appendOperatorLog(m_impl->db, action, actor, now);
        txn.commit();
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

bool Retention::release(const std::string &tenant, const std::string &reason, const Actor &actor)
{
    try {
        sql::Transaction txn(m_impl->db);
        sql::Statement s(m_impl->db, "DELETE FROM retention_holds WHERE tenant = ?1");
        s.bindText(1, tenant);
        s.run();
        if (sqlite3_changes(m_impl->db.handle()) == 0)
            return false;
        OperatorAction action{"retention.release", tenant, std::string("held"), std::string("released"), reason, {}};
        appendOperatorLog(m_impl->db, action, actor, currentTimeMs());
        txn.commit();
        return true;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<LegalHold> Retention::holds()
{
    try {
        std::vector<LegalHold> out;
        sql::Statement s(m_impl->db, "SELECT tenant, since, actor, reason FROM retention_holds ORDER BY tenant");
        while (s.step())
            out.push_back({std::string(s.columnText(0)), s.columnInt(1), std::string(s.columnText(2)),
                           std::string(s.columnText(3))});
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
