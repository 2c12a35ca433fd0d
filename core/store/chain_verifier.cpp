#include "store/chain_verifier.h"

#include "audit/canonical_hash.h"
#include "audit/operator_log_entry.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/chain_store.h"
#include "store/connection.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <map>
#include <set>

namespace vigil {

const char *tamperKindName(TamperKind kind)
{
    switch (kind) {
    case TamperKind::Changed: return "changed";
    case TamperKind::Deleted: return "deleted";
    case TamperKind::Reordered: return "reordered";
    case TamperKind::Inserted: return "inserted";
    case TamperKind::Truncated: return "truncated";
    }
    return "changed";
}

std::string ExternalCheckpoint::toJson() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("seq"), static_cast<qint64>(seq)},
                                     {QStringLiteral("hash"), QString::fromStdString(hashHex)},
                                     {QStringLiteral("at"), QString::fromStdString(formatRfc3339Ms(atMs))}})
               .toJson(QJsonDocument::Compact)
               .toStdString() + "\n";
}

std::optional<ExternalCheckpoint> ExternalCheckpoint::fromJson(const std::string &json, std::string &error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &parseError);
    if (!doc.isObject()) {
        error = "not a checkpoint (expected JSON {\"seq\", \"hash\", \"at\"})";
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    ExternalCheckpoint c;
    c.seq = o.value(QStringLiteral("seq")).toInteger(-1);
    c.hashHex = o.value(QStringLiteral("hash")).toString().toStdString();
    c.atMs = parseRfc3339Ms(o.value(QStringLiteral("at")).toString().toStdString()).value_or(0);
    if (c.seq < 0 || c.hashHex.size() != 64) {
        error = "the checkpoint needs a seq and a 64-digit hash";
        return std::nullopt;
    }
    return c;
}

namespace {

std::string hex(const std::string &bytes)
{
    return QByteArray::fromStdString(bytes).toHex().toStdString();
}

// Streams the chained rows in id order with their recomputed hashes.
class RowCursor
{
public:
    explicit RowCursor(sql::Database &db)
        : m_stmt(db, "SELECT r.id, r.batch_id, r.request_id, r.ts, l.tenant, l.model, l.provider, "
                     "l.prompt_name, l.prompt_version, r.latency_ms, r.outcome, r.input_tokens, r.output_tokens, "
                     "r.cost_usd, r.cost_source, r.retrieval_hits, r.error_type, r.user, r.trace_id, "
                     "r.session_id, r.input, r.output, r.retrieval_context, r.action, r.attributes, "
                     "r.redacted, r.row_hash FROM requests r LEFT JOIN labels l ON l.id = r.label_id "
                     "WHERE r.row_hash IS NOT NULL ORDER BY r.id")
    {
        advance();
    }
    bool valid() const { return m_valid; }
    std::int64_t id() const { return m_id; }
    std::int64_t batch() const { return m_batch; }
    const std::string &requestId() const { return m_record.requestId; }
    const std::string &stored() const { return m_stored; }
    const std::string &computed() const { return m_computed; }
    void advance()
    {
        m_valid = m_stmt.step();
        if (!m_valid)
            return;
        const auto &s = m_stmt;
        // Before any column is read: reading converts a value's type in place.
        const bool canonical = storedCanonically(s);
        Record &r = m_record;
        m_id = s.columnInt(0);
        m_batch = s.columnInt(1);
        r.requestId = std::string(s.columnText(2));
        r.tsMs = s.columnInt(3);
        r.tenant = std::string(s.columnText(4));
        r.model = std::string(s.columnText(5));
        r.provider = std::string(s.columnText(6));
        r.promptName = std::string(s.columnText(7));
        r.promptVersion = std::string(s.columnText(8));
        r.latencyMs = s.columnDouble(9);
        r.outcome = static_cast<Outcome>(s.columnInt(10));
        r.inputTokens = s.columnOptionalInt(11);
        r.outputTokens = s.columnOptionalInt(12);
        r.costUsd = s.columnOptionalDouble(13);
        r.costSource = static_cast<CostSource>(s.columnInt(14));
        r.retrievalHits = s.columnOptionalInt(15);
        r.errorType = std::string(s.columnText(16));
        r.user = std::string(s.columnText(17));
        r.traceId = std::string(s.columnText(18));
        r.sessionId = std::string(s.columnText(19));
        r.inputJson = std::string(s.columnText(20));
        r.output = s.isNull(21) ? std::nullopt : std::optional<std::string>(std::string(s.columnText(21)));
        r.retrievalContextJson = std::string(s.columnText(22));
        r.actionJson = std::string(s.columnText(23));
        r.attributesJson = std::string(s.columnText(24));
        const bool redacted = s.columnInt(25) != 0;
        m_stored = std::string(s.columnBlob(26));
        // A value the row hash cannot see (an outcome of 256 reads as 0, a
        // token count of 12.5 as 12, a request id stored as a blob is not
        // found by its text) is a change all the same.
        if (canonical)
            m_computed = recordRowHash(r, redacted);
        else
            m_computed.clear();
    }

private:
    // Every column holds the type (and for codes, the range) the writer gives it.
    static bool storedCanonically(const sql::Statement &s)
    {
        auto type = [&s](int column) { return sqlite3_column_type(s.handle(), column); };
        auto is = [&](int column, int wanted, bool nullable) {
            const int t = type(column);
            return t == wanted || (nullable && t == SQLITE_NULL);
        };
        auto inRange = [&](int column, std::int64_t below) {
            return type(column) == SQLITE_INTEGER && s.columnInt(column) >= 0 && s.columnInt(column) < below;
        };
        if (!is(2, SQLITE_TEXT, false) || !is(3, SQLITE_INTEGER, false) || !is(9, SQLITE_FLOAT, false))
            return false;
        for (int column = 4; column <= 8; ++column) // labels
            if (!is(column, SQLITE_TEXT, false))
                return false;
        for (int column : {11, 12, 15})
            if (!is(column, SQLITE_INTEGER, true))
                return false;
        if (!is(13, SQLITE_FLOAT, true))
            return false;
        for (int column = 16; column <= 24; ++column) // optional text and payloads
            if (!is(column, SQLITE_TEXT, true))
                return false;
        return inRange(10, kOutcomeCount) && inRange(14, 3) && inRange(25, 2);
    }

    sql::Statement m_stmt;
    bool m_valid = false;
    std::int64_t m_id = 0;
    std::int64_t m_batch = 0;
    Record m_record;
    std::string m_stored;
    std::string m_computed;
};

class Verifier
{
public:
    Verifier(sql::Database &db, VerifyReport &report) : m_db(db), m_report(report) {}

    void fail(std::int64_t seq, std::string what, TamperKind kind, std::string message,
              std::vector<std::string> ids = {})
    {
        if (m_report.firstBreak)
            return;
        m_report.ok = false;
        if (ids.size() > 20)
            ids.resize(20);
        m_report.firstBreak = ChainBreak{seq, std::move(what), kind, std::move(message), std::move(ids)};
    }

    void run(const std::optional<ExternalCheckpoint> &external, const std::atomic<bool> *cancel,
             const std::function<void(std::int64_t)> &progress)
    {
        std::string previous(kHashSize, '\0');
        std::int64_t expected = 1;
        {
            sql::Statement cp(m_db, "SELECT seq, hash FROM chain_checkpoints WHERE reason = 'purge' "
                                    "ORDER BY seq DESC LIMIT 1");
            if (cp.step()) {
                expected = cp.columnInt(0) + 1;
                previous = std::string(cp.columnBlob(1));
            }
        }
        m_report.startSeq = expected - 1;
        m_report.unchainedRecords = m_db.queryInt("SELECT count(*) FROM requests WHERE row_hash IS NULL");

        std::map<std::int64_t, std::vector<std::pair<std::int64_t, std::string>>> purged;
        {
            sql::Statement p(m_db, "SELECT batch_id, row_id, row_hash FROM purged_rows");
            while (p.step())
                purged[p.columnInt(0)].emplace_back(p.columnInt(1), std::string(p.columnBlob(2)));
        }

        RowCursor rows(m_db);
        sql::Statement links(m_db, "SELECT seq, kind, ref, items, content, hash FROM chain_links "
                                   "WHERE seq >= ?1 ORDER BY seq");
        links.bind(1, expected);
        sql::Statement entry(m_db, "SELECT id, at, actor, host, action, subject, from_value, to_value, "
                                   "reason, details FROM operator_log WHERE id = ?1");
        std::int64_t lastSeq = expected - 1;
        std::int64_t lastBatch = 0;
        while (links.step() && !m_report.firstBreak) {
            if (cancel && cancel->load())
                return;
            // Types first: reading a value may convert it in place.
            bool canonical = true;
            for (int column = 0; column < 4; ++column)
                canonical = canonical && sqlite3_column_type(links.handle(), column) == SQLITE_INTEGER;
            const std::int64_t seq = links.columnInt(0);
            const std::int64_t storedKind = links.columnInt(1);
            const int kind = storedKind == kChainBatch ? kChainBatch : kChainOperator;
            const std::int64_t ref = links.columnInt(2);
            const std::int64_t items = links.columnInt(3);
            const std::string content(links.columnBlob(4));
            const std::string hash(links.columnBlob(5));
            const std::string what = kind == kChainBatch ? "batch " + std::to_string(ref)
                                                         : "operator-log entry " + std::to_string(ref);
            if (seq != expected) {
                fail(expected, "link " + std::to_string(expected), TamperKind::Deleted,
                     "chain links " + std::to_string(expected) + " to " + std::to_string(seq - 1) + " are missing");
                return;
            }
            if (!canonical || storedKind != kind || chainLinkHash(previous, seq, kind, ref, items, content) != hash) {
                fail(seq, what, TamperKind::Changed,
                     "link " + std::to_string(seq) + " does not follow from the link before it (edited or out of order)");
                return;
            }
            if (kind == kChainBatch) {
                if (ref <= lastBatch) {
                    fail(seq, what, TamperKind::Reordered, "batch links are out of order");
                    return;
                }
                lastBatch = ref;
                checkBatch(seq, what, ref, items, content, rows, purged[ref]);
                m_report.records += items;
                if (progress)
                    progress(m_report.records);
            } else {
                entry.bind(1, ref);
                if (!entry.step()) {
                    fail(seq, what, TamperKind::Deleted, "operator-log entry " + std::to_string(ref) + " is gone");
                } else {
                    bool entryCanonical = sqlite3_column_type(entry.handle(), 1) == SQLITE_INTEGER;
                    for (int column = 2; column <= 9; ++column) {
                        const int t = sqlite3_column_type(entry.handle(), column);
                        entryCanonical = entryCanonical && (t == SQLITE_TEXT || (column >= 6 && t == SQLITE_NULL));
                    }
                    OperatorLogEntry e;
                    e.id = entry.columnInt(0);
                    e.at = entry.columnInt(1);
                    e.actor = std::string(entry.columnText(2));
                    e.host = std::string(entry.columnText(3));
                    e.action.action = std::string(entry.columnText(4));
                    e.action.subject = std::string(entry.columnText(5));
                    auto opt = [&](int c) {
                        return entry.isNull(c) ? std::nullopt : std::optional<std::string>(std::string(entry.columnText(c)));
                    };
                    e.action.fromValue = opt(6);
                    e.action.toValue = opt(7);
                    e.action.reason = opt(8);
                    e.action.details = opt(9);
                    if (!entryCanonical || operatorEntryHash(e) != content)
                        fail(seq, what, TamperKind::Changed, "operator-log entry " + std::to_string(ref) + " was altered");
                    ++m_report.operatorEntries;
                }
                entry.reset();
            }
            previous = hash;
            lastSeq = seq;
            ++expected;
            ++m_report.links;
        }
        m_report.headSeq = lastSeq;
        m_report.headHashHex = hex(previous);
        if (m_report.firstBreak)
            return;
        if (rows.valid()) {
            std::vector<std::string> ids;
            const std::int64_t batch = rows.batch();
            for (; rows.valid() && ids.size() < 20; rows.advance())
                ids.push_back(rows.requestId());
            fail(lastSeq, "batch " + std::to_string(batch),
                 batch > lastBatch ? TamperKind::Truncated : TamperKind::Inserted,
                 batch > lastBatch ? "records of batch " + std::to_string(batch) +
                                         " and later have no chain links: the chain was cut short"
                                   : "records are stored that no chain link covers",
                 ids);
            return;
        }
        // Operator-log entries that no link covers.
        {
            sql::Statement orphan(m_db, "SELECT id FROM operator_log WHERE id > coalesce((SELECT max(ref) FROM "
                                        "chain_links WHERE kind = 2), 0) OR id NOT IN (SELECT ref FROM chain_links "
                                        "WHERE kind = 2) AND id > ?1 LIMIT 1");
            orphan.bind(1, minOperatorRef());
            if (orphan.step()) {
                fail(lastSeq, "operator-log entry " + std::to_string(orphan.columnInt(0)), TamperKind::Inserted,
                     "operator-log entry " + std::to_string(orphan.columnInt(0)) + " is not in the chain");
                return;
            }
        }
        // Checkpoints kept in the store and outside it.
        sql::Statement stored(m_db, "SELECT seq, hash FROM chain_checkpoints WHERE reason != 'purge' ORDER BY seq");
        while (stored.step())
            checkCheckpoint(stored.columnInt(0), hex(std::string(stored.columnBlob(1))), lastSeq, "a checkpoint kept in the store");
        if (external)
            checkCheckpoint(external->seq, external->hashHex, lastSeq, "the exported checkpoint");
    }

private:
    std::int64_t minOperatorRef()
    {
        sql::Statement s(m_db, "SELECT min(ref) FROM chain_links WHERE kind = 2");
        return s.step() && !s.isNull(0) ? s.columnInt(0) - 1 : 0;
    }

    void checkCheckpoint(std::int64_t seq, const std::string &hashHex, std::int64_t lastSeq, const std::string &source)
    {
        if (m_report.firstBreak || seq <= m_report.startSeq)
            return;
        if (seq > lastSeq) {
            fail(lastSeq, "chain head", TamperKind::Truncated,
                 source + " vouches for link " + std::to_string(seq) + " but the chain ends at " + std::to_string(lastSeq));
            return;
        }
        sql::Statement s(m_db, "SELECT hash FROM chain_links WHERE seq = ?1");
        s.bind(1, seq);
        if (!s.step() || hex(std::string(s.columnBlob(0))) != hashHex)
            fail(seq, "link " + std::to_string(seq), TamperKind::Changed,
                 source + " does not match link " + std::to_string(seq) + ": the history was rewritten");
    }

    void checkBatch(std::int64_t seq, const std::string &what, std::int64_t batch, std::int64_t items,
                    const std::string &content, RowCursor &rows,
                    const std::vector<std::pair<std::int64_t, std::string>> &purgedRows)
    {
        // Rows before this batch that belong to no earlier link were inserted.
        if (rows.valid() && rows.batch() < batch) {
            std::vector<std::string> ids;
            for (; rows.valid() && rows.batch() < batch; rows.advance())
                ids.push_back(rows.requestId());
            fail(seq, what, TamperKind::Inserted, "records are stored that no chain link covers", ids);
            return;
        }
        std::vector<std::pair<std::int64_t, std::string>> hashes(purgedRows);
        std::vector<std::string> changed, ids;
        std::vector<std::pair<std::int64_t, std::string>> live; // row id, request id
        for (; rows.valid() && rows.batch() == batch; rows.advance()) {
            ids.push_back(rows.requestId());
            live.emplace_back(rows.id(), rows.requestId());
            if (rows.computed() != rows.stored())
                changed.push_back(rows.requestId());
            hashes.emplace_back(rows.id(), rows.stored());
        }
        if (!changed.empty()) {
            fail(seq, what, TamperKind::Changed,
                 std::to_string(changed.size()) + " record(s) of " + what + " differ from what was stored", changed);
            return;
        }
        std::sort(hashes.begin(), hashes.end());
        const auto count = static_cast<std::int64_t>(hashes.size());
        if (count < items) {
            // A batch's rows have consecutive ids: the gaps are the deleted rows,
            // and their neighbours the records to look at.
            std::string where;
            std::vector<std::string> neighbours;
            std::set<std::int64_t> known;
            for (const auto &h : hashes)
                known.insert(h.first);
            for (std::size_t i = 0; i + 1 < live.size() && where.size() < 200; ++i) {
                for (std::int64_t id = live[i].first + 1; id < live[i + 1].first; ++id) {
                    if (known.count(id))
                        continue;
                    where += (where.empty() ? "" : ", ") + std::to_string(id);
                    neighbours.push_back(live[i].second);
                    neighbours.push_back(live[i + 1].second);
                }
            }
            fail(seq, what, TamperKind::Deleted,
                 std::to_string(items - count) + " record(s) of " + what + " were deleted (" +
                     std::to_string(count) + " of " + std::to_string(items) + " left" +
                     (where.empty() ? std::string(", at its start or end)")
                                    : "; missing row id(s) " + where + ", between the records listed)"),
                 neighbours.empty() ? ids : neighbours);
            return;
        }
        if (count > items) {
            fail(seq, what, TamperKind::Inserted,
                 std::to_string(count - items) + " record(s) were added to " + what, ids);
            return;
        }
        std::vector<std::string> ordered;
        for (auto &h : hashes)
            ordered.push_back(std::move(h.second));
        const std::string actual = batchLinkContent(ordered);
        if (actual == content)
            return;
        if (actual.substr(kHashSize) == content.substr(kHashSize))
            fail(seq, what, TamperKind::Reordered, "the records of " + what + " are in another order", ids);
        else
            fail(seq, what, TamperKind::Changed,
                 "the records of " + what + " were replaced (their hashes were recomputed)", ids);
    }

    sql::Database &m_db;
    VerifyReport &m_report;
};

} // namespace

VerifyReport verifyChain(sql::Database &db, const std::optional<ExternalCheckpoint> &checkpoint,
                         const std::atomic<bool> *cancel, const std::function<void(std::int64_t)> &progress)
{
    VerifyReport report;
    Verifier(db, report).run(checkpoint, cancel, progress);
    return report;
}

ChainVerifier::ChainVerifier(const std::string &storePath)
    : m_path(storePath),
      m_db(std::make_unique<sql::Database>(openConnection(storePath, ConnectionRole::Reader)))
{
}

ChainVerifier::~ChainVerifier() = default;

VerifyReport ChainVerifier::verify(const std::optional<ExternalCheckpoint> &checkpoint,
                                   const std::atomic<bool> *cancel,
                                   const std::function<void(std::int64_t)> &progress)
{
    try {
        // One snapshot for the whole check, so concurrent ingest does not
        // look like tampering.
        m_db->exec("BEGIN");
        VerifyReport report = verifyChain(*m_db, checkpoint, cancel, progress);
        m_db->exec("COMMIT");
        return report;
    } catch (const sql::Error &e) {
        sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        if (e.primaryCode() == SQLITE_CORRUPT || e.primaryCode() == SQLITE_NOTADB) {
            VerifyReport report;
            report.ok = false;
            report.firstBreak = ChainBreak{0, "store file", TamperKind::Changed,
                                           std::string("the store file itself is damaged: ") + e.what(), {}};
            return report;
        }
        throw toStoreError(e, m_path);
    }
}

ExternalCheckpoint recordChainCheckpoint(const std::string &storePath, const std::string &reason)
{
    try {
        sql::Database db = openConnection(storePath, ConnectionRole::Writer);
        sql::Transaction txn(db);
        const ChainHead head = readChainHead(db);
        ExternalCheckpoint c;
        c.seq = head.seq;
        c.hashHex = hex(head.hash);
        c.atMs = currentTimeMs();
        if (head.seq > 0) {
            sql::Statement s(db, "INSERT INTO chain_checkpoints(seq, hash, at, reason) VALUES(?1, ?2, ?3, ?4) "
                                 "ON CONFLICT(seq) DO NOTHING");
            s.bind(1, head.seq).bindBlob(2, head.hash).bind(3, c.atMs).bindText(4, reason);
            s.run();
        }
        txn.commit();
        return c;
    } catch (const sql::Error &e) {
        throw toStoreError(e, storePath);
    }
}

} // namespace vigil
