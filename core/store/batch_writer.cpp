#include "store/batch_writer.h"

#include "audit/canonical_hash.h"
#include "store/chain_store.h"
#include "store/connection.h"
#include "store/prepared_batch.h"
#include "store/rollup_accumulator.h"
#include "store/sqlite_handle.h"
#include "store/sketch_sql_function.h"

#include <algorithm>
#include <chrono>
#include <tuple>
#include <unordered_map>

namespace vigil {

namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string rollupUpsertSql(std::string_view table)
{
    std::string sql = "INSERT INTO ";
    sql += table;
    sql += R"( VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)
ON CONFLICT(bucket, label_id) DO UPDATE SET
  n_ok = n_ok + excluded.n_ok, n_error = n_error + excluded.n_error,
  n_timeout = n_timeout + excluded.n_timeout, n_fallback = n_fallback + excluded.n_fallback,
  n_refused = n_refused + excluded.n_refused, n_blocked = n_blocked + excluded.n_blocked,
  input_tokens = input_tokens + excluded.input_tokens,
  output_tokens = output_tokens + excluded.output_tokens,
  cost_usd = cost_usd + excluded.cost_usd,
  cost_computed_usd = cost_computed_usd + excluded.cost_computed_usd,
  cost_unknown = cost_unknown + excluded.cost_unknown,
  retrieval_requests = retrieval_requests + excluded.retrieval_requests,
  retrieval_hits = retrieval_hits + excluded.retrieval_hits,
  retrieval_empty = retrieval_empty + excluded.retrieval_empty,
  latency_sum = latency_sum + excluded.latency_sum,
  latency_max = max(latency_max, excluded.latency_max),
  sketch = vigil_sketch_merge(sketch, excluded.sketch))";
    return sql;
}

std::string errorUpsertSql(std::string_view table)
{
    return "INSERT INTO " + std::string(table) +
           " VALUES(?1,?2,?3,?4) ON CONFLICT(bucket, label_id, error_type) DO UPDATE SET "
           "count = count + excluded.count";
}

int walHook(void *context, sqlite3 *, const char *, int pages)
{
    auto *observer = static_cast<std::function<void(int)> *>(context);
    if (*observer)
        (*observer)(pages);
    return SQLITE_OK;
}

} // namespace

struct BatchWriter::Impl
{
    std::string path;
    sql::Database db;
    sql::Statement insertBatch, updateBatch, insertRequest, findLabel, insertLabel,
        upsertMinute, upsertHour, upsertErrorMinute, upsertErrorHour, insertQuarantine,
        upsertSource;
    std::unordered_map<std::string, std::int64_t> labelIds;
    // Per-batch scratch, kept to reuse its capacity.
    std::vector<std::int64_t> slotIds;         // a batch's label slot -> labels.id
    std::vector<std::size_t> duplicateIndexes; // records already stored
    std::vector<std::tuple<std::int64_t, std::int64_t, std::size_t>> cellOrder;
    std::function<void(int)> walObserver;

    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Writer))
    {
        try {
            registerSketchFunctions(db);
            sqlite3_wal_hook(db.handle(), &walHook, &walObserver);
            insertBatch = sql::Statement(db, "INSERT INTO batches(committed_at, source) VALUES(?1, ?2)");
            updateBatch = sql::Statement(
                db, "UPDATE batches SET records = ?2, duplicates = ?3, quarantined = ?4 WHERE id = ?1");
            insertRequest = sql::Statement(db, R"(INSERT INTO requests(
request_id, ts, label_id, latency_ms, outcome, input_tokens, output_tokens, cost_usd, cost_source,
retrieval_hits, error_type, user, trace_id, session_id, batch_id,
input, output, retrieval_context, action, attributes, row_hash, redacted)
VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)
ON CONFLICT(request_id) DO NOTHING)");
            findLabel = sql::Statement(db, R"(SELECT id FROM labels WHERE tenant = ?1 AND model = ?2
AND provider = ?3 AND prompt_name = ?4 AND prompt_version = ?5)");
            insertLabel = sql::Statement(db, R"(INSERT INTO labels(tenant, model, provider,
prompt_name, prompt_version) VALUES(?1,?2,?3,?4,?5))");
            upsertMinute = sql::Statement(db, rollupUpsertSql("rollup_minute"));
            upsertHour = sql::Statement(db, rollupUpsertSql("rollup_hour"));
            upsertErrorMinute = sql::Statement(db, errorUpsertSql("rollup_error_minute"));
            upsertErrorHour = sql::Statement(db, errorUpsertSql("rollup_error_hour"));
            insertQuarantine = sql::Statement(db, R"(INSERT INTO quarantine(received_at, source,
line, byte_offset, reason, detail, raw, raw_size) VALUES(?1,?2,?3,?4,?5,?6,?7,?8))");
            upsertSource = sql::Statement(db, R"(INSERT INTO sources(path, device, inode, head_len,
head_hash, offset, line, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)
ON CONFLICT(device, inode) DO UPDATE SET path = excluded.path, head_len = excluded.head_len,
head_hash = excluded.head_hash, offset = excluded.offset, line = excluded.line,
updated_at = excluded.updated_at)");
        } catch (const sql::Error &e) {
            throw toStoreError(e, path);
        }
    }

    std::int64_t labelId(const std::string &key, const Record &r)
    {
        if (const auto it = labelIds.find(key); it != labelIds.end())
            return it->second;
        findLabel.bindText(1, r.tenant).bindText(2, r.model).bindText(3, r.provider);
        findLabel.bindText(4, r.promptName).bindText(5, r.promptVersion);
        std::int64_t id = 0;
        if (findLabel.step()) {
            id = findLabel.columnInt(0);
            findLabel.reset();
        } else {
            findLabel.reset();
            insertLabel.bindText(1, r.tenant).bindText(2, r.model).bindText(3, r.provider);
            insertLabel.bindText(4, r.promptName).bindText(5, r.promptVersion);
            insertLabel.run();
            id = sqlite3_last_insert_rowid(db.handle());
        }
        labelIds.emplace(key, id);
        return id;
    }

    bool insertOne(const Record &r, std::int64_t labelId, std::int64_t batchId)
    {
        auto &s = insertRequest;
        s.bindText(1, r.requestId).bind(2, r.tsMs).bind(3, labelId).bind(4, r.latencyMs);
        s.bind(5, static_cast<int>(r.outcome));
        s.bindOptional(6, r.inputTokens).bindOptional(7, r.outputTokens).bindOptional(8, r.costUsd);
        s.bind(9, static_cast<int>(r.costSource)).bindOptional(10, r.retrievalHits);
        s.bindTextOrNull(11, r.errorType).bindTextOrNull(12, r.user);
        s.bindTextOrNull(13, r.traceId).bindTextOrNull(14, r.sessionId).bind(15, batchId);
        s.bindTextOrNull(16, r.inputJson);
        if (r.output)
            s.bindText(17, *r.output);
        else
            s.bindNull(17);
        s.bindTextOrNull(18, r.retrievalContextJson).bindTextOrNull(19, r.actionJson);
        s.bindTextOrNull(20, r.attributesJson);
        s.bindBlob(21, r.rowHash).bind(22, r.redacted ? 1 : 0);
        s.run();
        return sqlite3_changes(db.handle()) != 0;
    }

    static void bindCell(sql::Statement &upsert, std::int64_t bucket, std::int64_t label,
                         const RollupCell &cell, std::string_view sketch)
    {
        upsert.bind(1, bucket).bind(2, label);
        for (int i = 0; i < kOutcomeCount; ++i)
            upsert.bind(3 + i, static_cast<std::int64_t>(cell.byOutcome[static_cast<std::size_t>(i)]));
        upsert.bind(9, cell.inputTokens).bind(10, cell.outputTokens);
        upsert.bind(11, cell.costUsd).bind(12, cell.costComputedUsd);
        upsert.bind(13, static_cast<std::int64_t>(cell.costUnknown));
        upsert.bind(14, static_cast<std::int64_t>(cell.retrievalRequests));
        upsert.bind(15, static_cast<std::int64_t>(cell.retrievalHits));
        upsert.bind(16, static_cast<std::int64_t>(cell.retrievalEmpty));
        upsert.bind(17, cell.latencySum).bind(18, cell.latencyMax).bindBlob(19, sketch);
        upsert.run();
    }

    // The prepared cells under their label ids, in key order: the upserts then
    // walk the rollup B-tree forward instead of jumping around in it.
    void writePrepared(sql::Statement &upsert, sql::Statement &upsertError,
                       const PreparedBatch::Rollup &rollup)
    {
        cellOrder.clear();
        for (std::size_t i = 0; i < rollup.cells.size(); ++i)
            cellOrder.emplace_back(rollup.cells[i].bucket, slotIds[rollup.cells[i].slot], i);
        std::sort(cellOrder.begin(), cellOrder.end());
        for (const auto &[bucket, label, index] : cellOrder)
            bindCell(upsert, bucket, label, rollup.cells[index].totals, rollup.sketch(rollup.cells[index]));
        for (const PreparedBatch::ErrorCell &e : rollup.errors) {
            upsertError.bind(1, e.bucket).bind(2, slotIds[e.slot]);
            upsertError.bindText(3, e.errorType).bind(4, static_cast<std::int64_t>(e.count));
            upsertError.run();
        }
    }

    // The slow path for a batch that held duplicates: the cells of the records
    // actually stored, worked out here.
    void writeStoredRollups(const WriteBatch &batch, const PreparedBatch &prepared)
    {
        RollupAccumulator minutes{kMinuteMs};
        RollupAccumulator hours{kHourMs};
        std::size_t nextDuplicate = 0; // duplicateIndexes is ascending
        for (std::size_t i = 0; i < batch.records.size(); ++i) {
            if (nextDuplicate < duplicateIndexes.size() && duplicateIndexes[nextDuplicate] == i) {
                ++nextDuplicate;
                continue;
            }
            const std::int64_t label = slotIds[prepared.slots[i]];
            minutes.add(label, batch.records[i]);
            hours.add(label, batch.records[i]);
        }
        writeAccumulated(upsertMinute, upsertErrorMinute, minutes);
        writeAccumulated(upsertHour, upsertErrorHour, hours);
    }

    void writeAccumulated(sql::Statement &upsert, sql::Statement &upsertError,
                          const RollupAccumulator &acc)
    {
        std::string sketch;
        for (const auto &[key, cell] : acc.cells()) {
            cell.sketch.encodeTo(sketch);
            bindCell(upsert, key.bucket, key.labelId, cell, sketch);
        }
        for (const auto &[key, count] : acc.errors()) {
            upsertError.bind(1, std::get<0>(key)).bind(2, std::get<1>(key));
            upsertError.bindText(3, std::get<2>(key)).bind(4, static_cast<std::int64_t>(count));
            upsertError.run();
        }
    }

    // Writes one batch inside the caller's transaction.
    BatchResult writeBatch(const WriteBatch &batch, const PreparedBatch &prepared,
                           std::int64_t committedAtMs)
    {
        BatchResult result;
        result.committedAtMs = committedAtMs;
        insertBatch.bind(1, result.committedAtMs).bindText(2, batch.source).run();
        result.batchId = sqlite3_last_insert_rowid(db.handle());
        std::vector<std::string> rowHashes; // of the stored rows, in id order: the chain link's content
        slotIds.resize(prepared.labels.size());
        for (std::size_t i = 0; i < prepared.labels.size(); ++i)
            slotIds[i] = labelId(prepared.labels[i].key, batch.records[prepared.labels[i].record]);
        duplicateIndexes.clear();
        for (std::size_t i = 0; i < batch.records.size(); ++i) {
            const Record &record = batch.records[i];
            if (insertOne(record, slotIds[prepared.slots[i]], result.batchId)) {
                ++result.accepted;
                rowHashes.push_back(record.rowHash);
            } else {
                duplicateIndexes.push_back(i);
            }
        }
        result.duplicates = static_cast<std::int64_t>(duplicateIndexes.size());
        if (duplicateIndexes.empty()) {
            writePrepared(upsertMinute, upsertErrorMinute, prepared.minutes);
            writePrepared(upsertHour, upsertErrorHour, prepared.hours);
        } else {
            writeStoredRollups(batch, prepared);
        }
        for (const QuarantineEntry &q : batch.quarantined) {
            auto &s = insertQuarantine;
            s.bind(1, result.committedAtMs).bindText(2, q.source);
            s.bindOptional(3, q.line).bindOptional(4, q.byteOffset);
            s.bindText(5, q.error.reason).bindText(6, q.error.detail);
            s.bindBlob(7, std::string_view(q.rawPrefix).substr(0, QuarantineEntry::kRawPrefixLimit));
            s.bind(8, q.rawSize);
            s.run();
            ++result.quarantined;
        }
        if (batch.position) {
            const SourcePosition &p = *batch.position;
            auto &s = upsertSource;
            s.bindText(1, p.path).bind(2, static_cast<std::int64_t>(p.device));
            s.bind(3, static_cast<std::int64_t>(p.inode)).bind(4, p.headLength);
            s.bindBlob(5, p.headHash).bind(6, p.offset).bind(7, p.line);
            s.bind(8, result.committedAtMs);
            s.run();
        }
        if (result.accepted > 0)
            appendChainLink(db, kChainBatch, result.batchId, result.accepted,
                            batchLinkContent(std::move(rowHashes)), committedAtMs);
        updateBatch.bind(1, result.batchId).bind(2, result.accepted);
        updateBatch.bind(3, result.duplicates).bind(4, result.quarantined).run();
        return result;
    }

    std::vector<BatchResult> commitGroup(const std::vector<const WriteBatch *> &batches,
                                         const std::vector<const PreparedBatch *> &prepared)
    {
        std::vector<BatchResult> results;
        results.reserve(batches.size());
        try {
            sql::Transaction txn(db);
            const std::int64_t now = nowMs();
            for (std::size_t i = 0; i < batches.size(); ++i)
                results.push_back(writeBatch(*batches[i], *prepared[i], now));
            txn.commit();
        } catch (const sql::Error &e) {
            // Label ids cached during the failed transaction were rolled back with it.
            labelIds.clear();
            throw toStoreError(e, path);
        }
        return results;
    }
};

BatchWriter::BatchWriter(const std::string &path) : m_impl(std::make_unique<Impl>(path)) {}

BatchWriter::~BatchWriter() = default;

const std::string &BatchWriter::path() const
{
    return m_impl->path;
}

BatchResult BatchWriter::commit(const WriteBatch &batch)
{
    const PreparedBatch prepared = prepareBatch(batch);
    return m_impl->commitGroup({&batch}, {&prepared}).front();
}

std::vector<BatchResult> BatchWriter::commitGroup(const std::vector<const WriteBatch *> &batches)
{
    std::vector<PreparedBatch> prepared;
    std::vector<const PreparedBatch *> pointers;
    prepared.reserve(batches.size());
    for (const WriteBatch *batch : batches)
        pointers.push_back(&prepared.emplace_back(prepareBatch(*batch)));
    return m_impl->commitGroup(batches, pointers);
}

std::vector<BatchResult> BatchWriter::commitGroup(const std::vector<const WriteBatch *> &batches,
                                                  const std::vector<const PreparedBatch *> &prepared)
{
    return m_impl->commitGroup(batches, prepared);
}

void BatchWriter::setWalSizeObserver(std::function<void(int pages)> observer)
{
    m_impl->walObserver = std::move(observer);
}

void BatchWriter::checkpointAndTruncate()
{
    sqlite3_wal_checkpoint_v2(m_impl->db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                              nullptr);
}

void BatchWriter::checkpointPassive()
{
    sqlite3_wal_checkpoint_v2(m_impl->db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
}

std::optional<SourcePosition> readSourcePosition(const std::string &storePath,
                                                 std::uint64_t device, std::uint64_t inode)
{
    try {
        sql::Database db = openConnection(storePath, ConnectionRole::Reader);
        sql::Statement s(db, "SELECT path, head_len, head_hash, offset, line FROM sources "
                             "WHERE device = ?1 AND inode = ?2");
        s.bind(1, static_cast<std::int64_t>(device)).bind(2, static_cast<std::int64_t>(inode));
        if (!s.step())
            return std::nullopt;
        SourcePosition p;
        p.path = std::string(s.columnText(0));
        p.device = device;
        p.inode = inode;
        p.headLength = s.columnInt(1);
        p.headHash = std::string(s.columnBlob(2));
        p.offset = s.columnInt(3);
        p.line = s.columnInt(4);
        return p;
    } catch (const sql::Error &e) {
        throw toStoreError(e, storePath);
    }
}

} // namespace vigil
