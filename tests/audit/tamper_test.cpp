// Tamper evidence: 10,000 random edits of a real store (byte flips in every
// kind of column, deletions, reordering, insertion, truncation), each made
// inside a SAVEPOINT on a raw connection, checked with verifyChain and rolled
// back. Every one must be reported, and where the kind of damage is
// determined, named correctly.
#include "audit_fixtures.h"
#include "test_support.h"

#include "audit/canonical_hash.h"
#include "audit/redaction.h"
#include "metrics/time_window.h"
#include "store/audit_reader.h"
#include "store/chain_verifier.h"
#include "store/operator_log_store.h"
#include "store/retention.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

namespace vigil::test {
namespace {

constexpr int kCases = 10000;
const Actor kActor{"auditor", "test-host"};

// What is in the store, read once; every tamper is rolled back, so it stays true.
struct Catalog
{
    struct Row
    {
        std::int64_t id;
        std::int64_t batch;
        std::int64_t label;
        std::string requestId;
    };
    struct Link
    {
        std::int64_t seq;
        int kind;
        std::int64_t ref;
    };
    std::vector<Row> rows;
    std::map<std::int64_t, std::vector<std::size_t>> rowsByBatch; // live rows per batch
    std::map<std::int64_t, std::int64_t> seqOfBatch;
    std::vector<Link> links;
    std::vector<std::int64_t> chainedOperatorIds;
    std::vector<std::pair<std::int64_t, std::int64_t>> purged; // batch, row id
    std::int64_t purgeCheckpointSeq = 0;
    std::int64_t maxRowId = 0;

    void load(sql::Database &db)
    {
        sql::Statement r(db, "SELECT id, batch_id, label_id, request_id FROM requests ORDER BY id");
        while (r.step()) {
            rows.push_back({r.columnInt(0), r.columnInt(1), r.columnInt(2), std::string(r.columnText(3))});
            rowsByBatch[rows.back().batch].push_back(rows.size() - 1);
            maxRowId = std::max(maxRowId, rows.back().id);
        }
        sql::Statement l(db, "SELECT seq, kind, ref FROM chain_links ORDER BY seq");
        while (l.step()) {
            links.push_back({l.columnInt(0), static_cast<int>(l.columnInt(1)), l.columnInt(2)});
            if (links.back().kind == kChainBatch)
                seqOfBatch[links.back().ref] = links.back().seq;
            else
                chainedOperatorIds.push_back(links.back().ref);
        }
        sql::Statement p(db, "SELECT batch_id, row_id FROM purged_rows");
        while (p.step())
            purged.emplace_back(p.columnInt(0), p.columnInt(1));
        purgeCheckpointSeq = db.queryInt("SELECT coalesce(max(seq), 0) FROM chain_checkpoints WHERE reason = 'purge'");
    }
};

// The bytes and type of one cell, to tell whether a tamper changed anything.
std::string cellSnapshot(sql::Database &db, const std::string &sql, std::int64_t key)
{
    sql::Statement s(db, sql);
    s.bind(1, key);
    if (!s.step())
        return "<no row>";
    const int type = sqlite3_column_type(s.handle(), 0);
    std::string out = std::to_string(type) + ":";
    if (type == SQLITE_FLOAT) {
        const double d = s.columnDouble(0);
        char bits[sizeof d];
        std::memcpy(bits, &d, sizeof d);
        out.append(bits, sizeof bits);
    } else if (type == SQLITE_INTEGER) {
        out += std::to_string(s.columnInt(0));
    } else if (type != SQLITE_NULL) {
        out += s.columnBlob(0);
    }
    return out;
}

struct Expectation
{
    std::string description;
    std::optional<TamperKind> kind;  // when the kind of damage is determined
    std::optional<std::string> what; // the link the break must be reported at
    bool external = false;          // verify with the exported checkpoint
};

class TamperTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new TempDir;
        s_path = s_dir->path("tamper.db");
        buildStore();
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }

    // A few hundred records in many batches, operator-log entries between
    // them, redacted records, duplicates, a purge that leaves a partly purged
    // batch and a compacted prefix, checkpoints in the store and one exported.
    static void buildStore()
    {
        Rng rng(20261127);
        const std::int64_t now = currentTimeMs();
        RecordShape recent;
        recent.fromMs = now - 10 * kDayMs;
        recent.toMs = now - kHourMs;
        RecordShape old = recent;
        old.fromMs = now - 200 * kDayMs;
        old.toMs = now - 150 * kDayMs;
        RedactionRules rules;
        rules.phones = rules.cards = rules.apiKeys = rules.bearer = rules.jwts = false;
        auto redactor = std::make_shared<const Redactor>(rules);

        int next = 0;
        auto makeBatch = [&](int n, const RecordShape &shape, int oldShare) {
            std::vector<std::string> lines;
            for (int i = 0; i < n; ++i) {
                QJsonObject o = randomRecord(rng, "req-" + std::to_string(next++),
                                             uniformInt(rng, 0, 99) < oldShare ? old : shape);
                if (uniformInt(rng, 0, 9) == 0)
                    o.insert(QStringLiteral("output"), QStringLiteral("reach me at someone.%1@example.com").arg(next));
                lines.push_back(toLine(o));
            }
            return lines;
        };
        auto logEntry = [&](int i) {
            OperatorAction a;
            a.action = i % 2 ? "config.change" : "alert.acknowledge";
            a.subject = "subject-" + std::to_string(i);
            if (i % 3)
                a.fromValue = "from-" + std::to_string(i);
            if (i % 3)
                a.toValue = "to-" + std::to_string(i);
            if (i % 4)
                a.reason = "because " + std::to_string(i);
            if (i % 5)
                a.details = "{\"n\":" + std::to_string(i) + "}";
            OperatorLog(s_path).record(a, kActor);
        };

        // Old records that the purge will take, then a batch of old and new.
        std::vector<std::vector<std::string>> batches;
        for (int b = 0; b < 3; ++b)
            batches.push_back(makeBatch(uniformInt(rng, 12, 25), old, 100));
        commitBatches(s_path, batches, redactor);
        logEntry(1);
        commitBatches(s_path, {makeBatch(30, recent, 50)}, redactor);
        logEntry(2);
        RetentionPolicy policy;
        policy.payloadDays = 90;
        const PurgeSummary purged = Retention(s_path).purge(policy, now, kActor);
        ASSERT_GT(purged.records, 0);
        ASSERT_TRUE(purged.checkpointSeq.has_value());

        // Recent batches with operator entries between them, duplicates and a
        // batch of nothing but duplicates (no link), and a checkpoint.
        for (int b = 0; b < 10; ++b) {
            std::vector<std::string> lines = makeBatch(uniformInt(rng, 8, 40), recent, 0);
            if (b == 4) {
                // Duplicates of earlier ids are not stored again.
                lines.push_back(toLine(randomRecord(rng, "req-100", recent)));
                commitBatches(s_path, {lines, {toLine(randomRecord(rng, "req-101", recent))}}, redactor);
            } else {
                commitBatches(s_path, {lines}, redactor);
            }
            if (b % 3 == 0)
                logEntry(10 + b);
            if (b == 6)
                recordChainCheckpoint(s_path, "manual");
        }
        logEntry(99);
        s_external = new ExternalCheckpoint(recordChainCheckpoint(s_path, "export"));
    }

    void SetUp() override
    {
        m_db = openRaw(s_path);
        m_catalog.load(m_db);
    }

    VerifyReport verify(bool external)
    {
        return external ? verifyChain(m_db, *s_external) : verifyChain(m_db);
    }

    // Applies one random tamper inside a savepoint, verifies, rolls back.
    // Nothing when the tamper was not possible (a constraint) or changed nothing.
    std::optional<std::pair<Expectation, VerifyReport>> tamperOnce(Rng &rng)
    {
        m_db.exec("SAVEPOINT tamper");
        std::optional<std::pair<Expectation, VerifyReport>> out;
        try {
            if (auto expected = applyRandom(rng))
                out.emplace(*expected, verify(expected->external));
        } catch (const sql::Error &) {
            out.reset();
        }
        m_db.exec("ROLLBACK TO tamper");
        m_db.exec("RELEASE tamper");
        return out;
    }

    const Catalog::Row &randomRow(Rng &rng)
    {
        return m_catalog.rows[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(m_catalog.rows.size()) - 1))];
    }
    std::string batchName(std::int64_t batch) { return "batch " + std::to_string(batch); }

    // One random tamper: applies it (inside the caller's savepoint) and says
    // what verify must report. Nothing when it changed nothing.
    std::optional<Expectation> applyRandom(Rng &rng);

    static TempDir *s_dir;
    static std::string s_path;
    static ExternalCheckpoint *s_external;
    sql::Database m_db;
    Catalog m_catalog;
};

TempDir *TamperTest::s_dir = nullptr;
std::string TamperTest::s_path;
ExternalCheckpoint *TamperTest::s_external = nullptr;

void flipByte(Rng &rng, std::string &bytes)
{
    const std::size_t at = static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(bytes.size()) - 1));
    bytes[at] = static_cast<char>(static_cast<unsigned char>(bytes[at]) ^ uniformInt(rng, 1, 255));
}

// Rewrites one cell: text and blobs get a byte flipped (NULL becomes text),
// integers a bit, reals a bit of their IEEE form (never to NaN).
void mutateCell(Rng &rng, sql::Database &db, const std::string &table, const std::string &column,
                const std::string &keyColumn, std::int64_t key)
{
    sql::Statement read(db, "SELECT " + column + " FROM " + table + " WHERE " + keyColumn + " = ?1");
    read.bind(1, key);
    if (!read.step())
        return;
    const int type = sqlite3_column_type(read.handle(), 0);
    sql::Statement write(db, "UPDATE " + table + " SET " + column + " = ?2 WHERE " + keyColumn + " = ?1");
    write.bind(1, key);
    if (type == SQLITE_NULL) {
        const std::string text = "x" + std::to_string(uniformInt(rng, 0, 999));
        write.bindText(2, text);
        write.run();
    } else if (type == SQLITE_INTEGER) {
        write.bind(2, read.columnInt(0) ^ (std::int64_t{1} << uniformInt(rng, 0, 62)));
        write.run();
    } else if (type == SQLITE_FLOAT) {
        double d = read.columnDouble(0);
        std::uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof d);
        do {
            std::uint64_t flipped = bits ^ (std::uint64_t{1} << uniformInt(rng, 0, 63));
            std::memcpy(&d, &flipped, sizeof d);
        } while (std::isnan(d));
        write.bind(2, d);
        write.run();
    } else {
        std::string bytes(read.columnBlob(0));
        if (bytes.empty())
            bytes = "y";
        else
            flipByte(rng, bytes);
        if (type == SQLITE_BLOB)
            write.bindBlob(2, bytes);
        else
            write.bindText(2, bytes);
        write.run();
    }
}

void run(sql::Database &db, const std::string &sql, std::int64_t a = 0, std::int64_t b = 0)
{
    sql::Statement s(db, sql);
    if (sqlite3_bind_parameter_count(s.handle()) >= 1)
        s.bind(1, a);
    if (sqlite3_bind_parameter_count(s.handle()) >= 2)
        s.bind(2, b);
    s.run();
}

std::optional<Expectation> TamperTest::applyRandom(Rng &rng)
{
    static const std::vector<std::string> kTextColumns = {"request_id", "error_type", "user", "trace_id", "session_id",
                                                          "input", "output", "retrieval_context", "action", "attributes"};
    static const std::vector<std::string> kValueColumns = {"ts", "latency_ms", "outcome", "input_tokens", "output_tokens",
                                                           "cost_usd", "cost_source", "retrieval_hits", "redacted", "label_id"};
    static const std::vector<std::string> kLabelColumns = {"tenant", "model", "provider", "prompt_name", "prompt_version"};
    static const std::vector<std::string> kLinkColumns = {"hash", "content", "items", "ref", "kind"};
    static const std::vector<std::string> kOperatorColumns = {"at", "actor", "host", "action", "subject",
                                                              "from_value", "to_value", "reason", "details"};
    auto pick = [&rng](const std::vector<std::string> &list) {
        return list[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(list.size()) - 1))];
    };
    const bool external = uniformInt(rng, 0, 1) == 1;
    const Catalog &c = m_catalog;
    switch (uniformInt(rng, 0, 17)) {
    case 0:
    case 1: { // a byte of a text or payload column
        const auto &row = randomRow(rng);
        const std::string column = pick(kTextColumns);
        const std::string sql = "SELECT " + column + " FROM requests WHERE id = ?1";
        const std::string before = cellSnapshot(m_db, sql, row.id);
        mutateCell(rng, m_db, "requests", column, "id", row.id);
        if (cellSnapshot(m_db, sql, row.id) == before)
            return std::nullopt;
        return Expectation{"flip in requests." + column + " of " + row.requestId, TamperKind::Changed,
                           batchName(row.batch), external};
    }
    case 2:
    case 3: { // a number (or a label reference) of a record
        const auto &row = randomRow(rng);
        const std::string column = pick(kValueColumns);
        const std::string sql = "SELECT " + column + " FROM requests WHERE id = ?1";
        const std::string before = cellSnapshot(m_db, sql, row.id);
        if (uniformInt(rng, 0, 1) == 0 && (column == "outcome" || column == "cost_source" || column == "redacted")) {
            // Another value of the same small domain.
            const int domain = column == "outcome" ? kOutcomeCount : column == "cost_source" ? 3 : 2;
            run(m_db, "UPDATE requests SET " + column + " = (" + column + " + ?2) % " + std::to_string(domain) +
                          " WHERE id = ?1",
                row.id, uniformInt(rng, 1, domain - 1));
        } else {
            mutateCell(rng, m_db, "requests", column, "id", row.id);
        }
        if (cellSnapshot(m_db, sql, row.id) == before)
            return std::nullopt;
        return Expectation{"change of requests." + column + " of " + row.requestId, TamperKind::Changed,
                           batchName(row.batch), external};
    }
    case 4: { // a value stored with another type (the reader would see it differently or not find it)
        const auto &row = randomRow(rng);
        static const std::vector<std::pair<std::string, std::string>> kTypeEdits = {
            {"input_tokens", "input_tokens + 0.5"},
            {"latency_ms", "'slow'"},
            {"outcome", "outcome + 256"},
            {"cost_source", "cost_source + 256"},
            {"redacted", "redacted + 2"},
            {"ts", "CAST(ts AS TEXT) || 'Z'"},
            {"request_id", "CAST(request_id AS BLOB)"},
            {"user", "CAST(user AS BLOB)"},
            {"trace_id", "CAST(trace_id AS BLOB)"},
        };
        const auto &[column, expression] = kTypeEdits[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(kTypeEdits.size()) - 1))];
        const std::string sql = "SELECT " + column + " FROM requests WHERE id = ?1";
        const std::string before = cellSnapshot(m_db, sql, row.id);
        run(m_db, "UPDATE requests SET " + column + " = " + expression + " WHERE id = ?1", row.id);
        if (cellSnapshot(m_db, sql, row.id) == before)
            return std::nullopt;
        return Expectation{"type change of requests." + column + " of " + row.requestId, TamperKind::Changed,
                           batchName(row.batch), external};
    }
    case 5: { // the stored row hash
        const auto &row = randomRow(rng);
        mutateCell(rng, m_db, "requests", "row_hash", "id", row.id);
        return Expectation{"flip in requests.row_hash of " + row.requestId, TamperKind::Changed, batchName(row.batch),
                           external};
    }
    case 6: { // a label: every record with it changes; the first such batch breaks
        const auto &row = randomRow(rng);
        const std::string column = pick(kLabelColumns);
        const std::string sql = "SELECT " + column + " FROM labels WHERE id = ?1";
        const std::string before = cellSnapshot(m_db, sql, row.label);
        mutateCell(rng, m_db, "labels", column, "id", row.label);
        if (cellSnapshot(m_db, sql, row.label) == before)
            return std::nullopt;
        std::int64_t firstBatch = INT64_MAX;
        for (const auto &r : c.rows)
            if (r.label == row.label)
                firstBatch = std::min(firstBatch, r.batch);
        return Expectation{"flip in labels." + column + " of label " + std::to_string(row.label), TamperKind::Changed,
                           batchName(firstBatch), external};
    }
    case 7: { // a chain link's hash, content, items, ref or kind
        const auto &link = c.links[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.links.size()) - 1))];
        const std::string column = pick(kLinkColumns);
        mutateCell(rng, m_db, "chain_links", column, "seq", link.seq);
        return Expectation{"flip in chain_links." + column + " of link " + std::to_string(link.seq),
                           TamperKind::Changed, std::nullopt, external};
    }
    case 8: { // an operator-log entry still covered by the chain
        const std::int64_t id = c.chainedOperatorIds[static_cast<std::size_t>(
            uniformInt(rng, 0, static_cast<int>(c.chainedOperatorIds.size()) - 1))];
        const std::string column = pick(kOperatorColumns);
        mutateCell(rng, m_db, "operator_log", column, "id", id);
        return Expectation{"flip in operator_log." + column + " of entry " + std::to_string(id), TamperKind::Changed,
                           "operator-log entry " + std::to_string(id), external};
    }
    case 9: { // a record deleted
        const auto &row = randomRow(rng);
        run(m_db, "DELETE FROM requests WHERE id = ?1", row.id);
        return Expectation{"deleted record " + row.requestId, TamperKind::Deleted, batchName(row.batch), external};
    }
    case 10: { // a chain link deleted (not the last: that is a truncation)
        const auto &link = c.links[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.links.size()) - 2))];
        run(m_db, "DELETE FROM chain_links WHERE seq = ?1", link.seq);
        return Expectation{"deleted link " + std::to_string(link.seq), TamperKind::Deleted,
                           "link " + std::to_string(link.seq), external};
    }
    case 11: { // an operator-log entry deleted
        const std::int64_t id = c.chainedOperatorIds[static_cast<std::size_t>(
            uniformInt(rng, 0, static_cast<int>(c.chainedOperatorIds.size()) - 1))];
        run(m_db, "DELETE FROM operator_log WHERE id = ?1", id);
        return Expectation{"deleted operator-log entry " + std::to_string(id), TamperKind::Deleted,
                           "operator-log entry " + std::to_string(id), external};
    }
    case 12: { // two records of one batch swapped
        std::vector<std::int64_t> candidates;
        for (const auto &[batch, rows] : c.rowsByBatch)
            if (rows.size() >= 2)
                candidates.push_back(batch);
        const std::int64_t batch = candidates[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(candidates.size()) - 1))];
        const auto &rows = c.rowsByBatch.at(batch);
        const std::size_t i = static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(rows.size()) - 1));
        std::size_t j = static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(rows.size()) - 2));
        if (j >= i)
            ++j;
        const std::int64_t a = c.rows[rows[i]].id, b = c.rows[rows[j]].id;
        run(m_db, "UPDATE requests SET id = -1 WHERE id = ?1", a);
        run(m_db, "UPDATE requests SET id = ?1 WHERE id = ?2", a, b);
        run(m_db, "UPDATE requests SET id = ?1 WHERE id = -1", b);
        return Expectation{"records " + std::to_string(a) + " and " + std::to_string(b) + " swapped",
                           TamperKind::Reordered, batchName(batch), external};
    }
    case 13: { // records moved: to another batch, or to another place in the table
        const auto &row = randomRow(rng);
        if (uniformInt(rng, 0, 1) == 0) {
            const auto &other = randomRow(rng);
            if (other.batch == row.batch)
                return std::nullopt;
            run(m_db, "UPDATE requests SET batch_id = ?2 WHERE id = ?1", row.id, other.batch);
            return Expectation{"record " + row.requestId + " moved to batch " + std::to_string(other.batch),
                               std::nullopt, std::nullopt, external};
        }
        if (row.id == c.maxRowId)
            return std::nullopt; // the last row moved further: same order, nothing to see
        run(m_db, "UPDATE requests SET id = ?2 WHERE id = ?1", row.id, c.maxRowId + uniformInt(rng, 1, 50));
        return Expectation{"record " + row.requestId + " moved to the end", std::nullopt, std::nullopt, external};
    }
    case 14: { // two links swapped, or a purged row's hash or the purge checkpoint edited
        const int what = uniformInt(rng, 0, 3);
        if (what == 0) {
            const std::int64_t a = c.links[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.links.size()) - 1))].seq;
            const std::int64_t b = c.links[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.links.size()) - 1))].seq;
            if (a == b)
                return std::nullopt;
            run(m_db, "UPDATE chain_links SET seq = -1 WHERE seq = ?1", a);
            run(m_db, "UPDATE chain_links SET seq = ?1 WHERE seq = ?2", a, b);
            run(m_db, "UPDATE chain_links SET seq = ?1 WHERE seq = -1", b);
            return Expectation{"links " + std::to_string(a) + " and " + std::to_string(b) + " swapped",
                               TamperKind::Changed, "", external};
        }
        if (what == 1) {
            const auto &[batch, rowId] = c.purged[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.purged.size()) - 1))];
            mutateCell(rng, m_db, "purged_rows", "row_hash", "row_id", rowId);
            return Expectation{"flip in the kept hash of purged row " + std::to_string(rowId), TamperKind::Changed,
                               batchName(batch), external};
        }
        if (what == 2) {
            const auto &[batch, rowId] = c.purged[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(c.purged.size()) - 1))];
            run(m_db, "DELETE FROM purged_rows WHERE row_id = ?1", rowId);
            return Expectation{"kept hash of purged row " + std::to_string(rowId) + " deleted", TamperKind::Deleted,
                               batchName(batch), external};
        }
        mutateCell(rng, m_db, "chain_checkpoints", "hash", "seq", c.purgeCheckpointSeq);
        return Expectation{"flip in the purge checkpoint's hash", TamperKind::Changed, std::nullopt, external};
    }
    case 15: { // truncation: the last links removed with what they cover
        const int k = uniformInt(rng, 1, 5);
        for (int i = 0; i < k; ++i) {
            const auto &link = c.links[c.links.size() - 1 - static_cast<std::size_t>(i)];
            if (link.kind == kChainBatch) {
                run(m_db, "DELETE FROM requests WHERE batch_id = ?1", link.ref);
                run(m_db, "DELETE FROM batches WHERE id = ?1", link.ref);
            } else {
                run(m_db, "DELETE FROM operator_log WHERE id = ?1", link.ref);
            }
            run(m_db, "DELETE FROM chain_links WHERE seq = ?1", link.seq);
        }
        // The thorough version also removes the checkpoints kept in the store:
        // only the exported one tells.
        const bool thorough = uniformInt(rng, 0, 1) == 1;
        if (thorough)
            m_db.exec("DELETE FROM chain_checkpoints WHERE reason != 'purge'");
        return Expectation{"last " + std::to_string(k) + " links and their records removed" +
                               (thorough ? " with the stored checkpoints" : ""),
                           TamperKind::Truncated, "chain head", thorough || external};
    }
    case 16: { // the last links removed, the records left
        const int k = uniformInt(rng, 1, 5);
        bool batchLink = false;
        for (int i = 0; i < k; ++i) {
            const auto &link = c.links[c.links.size() - 1 - static_cast<std::size_t>(i)];
            batchLink = batchLink || link.kind == kChainBatch;
            run(m_db, "DELETE FROM chain_links WHERE seq = ?1", link.seq);
        }
        return Expectation{"last " + std::to_string(k) + " links removed, records kept",
                           batchLink ? std::optional(TamperKind::Truncated) : std::nullopt, std::nullopt, external};
    }
    default: { // a record or an operator-log entry added without its link
        if (uniformInt(rng, 0, 1) == 0) {
            run(m_db, "INSERT INTO operator_log(at, actor, host, action, subject) "
                      "VALUES(?1, 'mallory', 'elsewhere', 'retention.release', 'acme')",
                currentTimeMs());
            return Expectation{"operator-log entry added", TamperKind::Inserted, std::nullopt, external};
        }
        // A copy of a record under a new id, with a correct row hash: only
        // the chain link's item count can tell.
        const auto &row = randomRow(rng);
        auto copy = AuditReader(s_path).byRowId(row.id);
        if (!copy)
            return std::nullopt;
        copy->record.requestId = "inserted-" + std::to_string(uniformInt(rng, 0, 1 << 30));
        const std::string hash = recordRowHash(copy->record, copy->record.redacted);
        sql::Statement insert(m_db, R"(INSERT INTO requests(id, request_id, ts, label_id, latency_ms, outcome,
input_tokens, output_tokens, cost_usd, cost_source, retrieval_hits, error_type, user, trace_id, session_id,
batch_id, input, output, retrieval_context, action, attributes, row_hash, redacted)
SELECT ?1, ?2, ts, label_id, latency_ms, outcome, input_tokens, output_tokens, cost_usd, cost_source,
retrieval_hits, error_type, user, trace_id, session_id, batch_id, input, output, retrieval_context, action,
attributes, ?3, redacted FROM requests WHERE id = ?4)");
        insert.bind(1, c.maxRowId + 1).bindText(2, copy->record.requestId).bindBlob(3, hash).bind(4, row.id);
        insert.run();
        return Expectation{"record " + copy->record.requestId + " added to batch " + std::to_string(row.batch),
                           TamperKind::Inserted, std::nullopt, external};
    }
    }
}

TEST_F(TamperTest, TheUntamperedStoreVerifies)
{
    for (bool external : {false, true}) {
        const VerifyReport report = verify(external);
        ASSERT_TRUE(report.ok) << report.firstBreak->message;
        EXPECT_EQ(report.headSeq, s_external->seq);
        EXPECT_EQ(report.headHashHex, s_external->hashHex);
        EXPECT_GT(report.records, 200);
        EXPECT_GE(report.operatorEntries, 5);
        EXPECT_GT(report.startSeq, 0) << "the purge compacted a prefix of the chain";
    }
    EXPECT_FALSE(m_catalog.purged.empty()) << "a batch was partly purged";
}

TEST_F(TamperTest, TenThousandRandomTampersAreAllDetected)
{
    Rng rng(6);
    std::map<std::string, int> byKind;
    int done = 0, skipped = 0;
    const auto started = std::chrono::steady_clock::now();
    std::map<std::string, int> failures; // by kind of tamper
    std::vector<std::string> examples;
    while (done < kCases) {
        const auto result = tamperOnce(rng);
        if (!result) {
            ++skipped;
            continue;
        }
        ++done;
        const auto &[expected, report] = *result;
        std::string problem;
        if (report.ok) {
            problem = "not detected";
        } else {
            const ChainBreak &b = *report.firstBreak;
            ++byKind[tamperKindName(b.kind)];
            if (expected.kind && b.kind != *expected.kind)
                problem = std::string("reported as ") + tamperKindName(b.kind) + ", expected " +
                          tamperKindName(*expected.kind) + " (" + b.what + ": " + b.message + ")";
            else if (expected.what && !expected.what->empty() && b.what != *expected.what)
                problem = "reported at " + b.what + ", expected " + *expected.what + " (" + b.message + ")";
        }
        if (!problem.empty()) {
            const std::string key = expected.description.substr(0, expected.description.find(" of "));
            if (failures[key.substr(0, 40)]++ < 3 && examples.size() < 40)
                examples.push_back("case " + std::to_string(done) + ": " + expected.description + ": " + problem);
        }
    }
    for (const auto &e : examples)
        ADD_FAILURE() << e;
    for (const auto &[what, n] : failures)
        ADD_FAILURE() << n << " failing case(s) of: " << what;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string summary;
    for (const auto &[kind, n] : byKind)
        summary += kind + "=" + std::to_string(n) + " ";
    std::printf("%d tampers detected in %.1f s (%d not applicable): %s\n", done, seconds, skipped, summary.c_str());
    // Everything was rolled back.
    EXPECT_TRUE(verify(false).ok);
    EXPECT_TRUE(verify(true).ok);
}

} // namespace
} // namespace vigil::test
