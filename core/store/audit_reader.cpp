#include "store/audit_reader.h"

#include "store/connection.h"

#include <algorithm>
#include <map>

namespace vigil {

namespace {

const char *const kSummaryColumns =
    "r.id, r.request_id, r.ts, l.tenant, l.model, l.provider, l.prompt_name, l.prompt_version, "
    "r.latency_ms, r.outcome, r.input_tokens, r.output_tokens, r.cost_usd, r.cost_source, "
    "r.retrieval_hits, r.error_type, r.user, r.trace_id, r.session_id, r.redacted, r.row_hash";
const char *const kPayloadColumns = ", r.input, r.output, r.retrieval_context, r.action, r.attributes";

std::string orderBy(AuditSort sort)
{
    switch (sort) {
    case AuditSort::TimeDesc: return " ORDER BY r.ts DESC, r.id DESC";
    case AuditSort::TimeAsc: return " ORDER BY r.ts ASC, r.id ASC";
    case AuditSort::LatencyDesc: return " ORDER BY r.latency_ms DESC, r.id DESC";
    case AuditSort::LatencyAsc: return " ORDER BY r.latency_ms ASC, r.id ASC";
    case AuditSort::CostDesc: return " ORDER BY coalesce(r.cost_usd, -1) DESC, r.id DESC";
    case AuditSort::CostAsc: return " ORDER BY coalesce(r.cost_usd, -1) ASC, r.id ASC";
    }
    return {};
}

bool inTimeOrder(AuditSort sort)
{
    return sort == AuditSort::TimeDesc || sort == AuditSort::TimeAsc;
}

// One page of rows matching `where`, in `sort` order. In time order the ts
// index drives the scan and it stops after `limit` rows. Sorted by latency or
// cost every row of the window is a candidate: the ids of the page are found
// first over the ts index alone (it covers label, latency, outcome and cost),
// and only those rows are read, instead of sorting whole rows (0.25-0.9 s
// -> ~0.1 s over 1M calls, docs/PERFORMANCE.md).
std::string pageSql(const std::string &columns, const std::string &where, AuditSort sort, const std::string &limit)
{
    const std::string from = " FROM requests r JOIN labels l ON l.id = r.label_id";
    if (inTimeOrder(sort))
        return "SELECT " + columns + from + where + orderBy(sort) + limit;
    return "SELECT " + columns + from + " WHERE r.id IN (SELECT r.id FROM requests r" + where + orderBy(sort) + limit +
           ")" + orderBy(sort);
}

AuditRow readRow(const sql::Statement &s, bool withPayload)
{
    AuditRow row;
    Record &r = row.record;
    row.rowId = s.columnInt(0);
    r.requestId = std::string(s.columnText(1));
    r.tsMs = s.columnInt(2);
    r.tenant = std::string(s.columnText(3));
    r.model = std::string(s.columnText(4));
    r.provider = std::string(s.columnText(5));
    r.promptName = std::string(s.columnText(6));
    r.promptVersion = std::string(s.columnText(7));
    r.latencyMs = s.columnDouble(8);
    r.outcome = static_cast<Outcome>(std::clamp<std::int64_t>(s.columnInt(9), 0, kOutcomeCount - 1));
    r.inputTokens = s.columnOptionalInt(10);
    r.outputTokens = s.columnOptionalInt(11);
    r.costUsd = s.columnOptionalDouble(12);
    r.costSource = static_cast<CostSource>(s.columnInt(13));
    r.retrievalHits = s.columnOptionalInt(14);
    r.errorType = std::string(s.columnText(15));
    r.user = std::string(s.columnText(16));
    r.traceId = std::string(s.columnText(17));
    r.sessionId = std::string(s.columnText(18));
    r.redacted = s.columnInt(19) != 0;
    r.rowHash = std::string(s.columnBlob(20));
    if (withPayload) {
        r.inputJson = std::string(s.columnText(21));
        if (!s.isNull(22))
            r.output = std::string(s.columnText(22));
        r.retrievalContextJson = std::string(s.columnText(23));
        r.actionJson = std::string(s.columnText(24));
        r.attributesJson = std::string(s.columnText(25));
    }
    return row;
}

} // namespace

struct AuditReader::Impl
{
    std::string path;
    sql::Database db;
    std::vector<std::pair<std::int64_t, Labels>> labels;
    std::map<std::string, bool> denseSearches;

    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Reader)) {}

    // The WHERE clause and its bindings for a filter.
    struct Where
    {
        std::string sql;
        std::vector<std::function<void(sql::Statement &, int)>> binds;
    };

    Where where(const AuditFilter &f, bool probeSearch = false)
    {
        Where w;
        w.sql = " WHERE r.ts >= ? AND r.ts < ?";
        w.binds.push_back([v = f.window.fromMs](sql::Statement &s, int i) { s.bind(i, v); });
        w.binds.push_back([v = f.window.toMs](sql::Statement &s, int i) { s.bind(i, v); });
        if (!f.labels.empty()) {
            // Label matching (SHA prefixes included) is done once over the small
            // labels table; the rows are then selected by label id.
            std::string ids;
            sql::Statement s(db, "SELECT id, tenant, model, provider, prompt_name, prompt_version FROM labels");
            while (s.step()) {
                const Labels l{std::string(s.columnText(1)), std::string(s.columnText(2)),
                               std::string(s.columnText(3)), std::string(s.columnText(4)),
                               std::string(s.columnText(5))};
                if (f.labels.matches(l))
                    ids += (ids.empty() ? "" : ",") + std::to_string(s.columnInt(0));
            }
            w.sql += " AND r.label_id IN (" + (ids.empty() ? std::string("-1") : ids) + ")";
        }
        auto text = [&w](const char *clause, const std::optional<std::string> &v) {
            if (!v)
                return;
            w.sql += clause;
            w.binds.push_back([v = *v](sql::Statement &s, int i) { s.bindText(i, v); });
        };
        text(" AND r.user = ?", f.user);
        text(" AND r.error_type = ?", f.errorType);
        text(" AND r.trace_id = ?", f.traceId);
        text(" AND r.session_id = ?", f.sessionId);
        if (!f.outcomes.empty()) {
            std::string list;
            for (Outcome o : f.outcomes)
                list += (list.empty() ? "" : ",") + std::to_string(static_cast<int>(o));
            w.sql += " AND r.outcome IN (" + list + ")";
        }
        if (f.latencyAboveMs) {
            w.sql += " AND r.latency_ms > ?";
            w.binds.push_back([v = *f.latencyAboveMs](sql::Statement &s, int i) { s.bind(i, v); });
        }
        if (f.costAboveUsd) {
            w.sql += " AND r.cost_usd > ?";
            w.binds.push_back([v = *f.costAboveUsd](sql::Statement &s, int i) { s.bind(i, v); });
        }
        if (f.search) {
            // Two plans. The matching rowids as a set suits a search that
            // matches few calls; for one that matches many (common words over
            // millions of calls) building that set takes seconds, while a page
            // in time order finds its rows after a few probes of the index.
            if (probeSearch && matchesMany(f.search->fts5))
                w.sql += " AND EXISTS (SELECT 1 FROM requests_fts WHERE requests_fts MATCH ? AND rowid = r.id)";
            else
                w.sql += " AND r.id IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ?)";
            w.binds.push_back([v = f.search->fts5](sql::Statement &s, int i) { s.bindText(i, v); });
        }
        return w;
    }

    // Whether a search matches more calls than a set is cheap to build for
    // (a plan choice only: both plans give the same rows). Remembered per query.
    bool matchesMany(const std::string &fts5)
    {
        constexpr std::int64_t kManyMatches = 20000;
        if (const auto it = denseSearches.find(fts5); it != denseSearches.end())
            return it->second;
        sql::Statement s(db, "SELECT count(*) FROM (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ?1 LIMIT ?2)");
        s.bindText(1, fts5).bind(2, kManyMatches + 1);
        const bool many = s.step() && s.columnInt(0) > kManyMatches;
        if (denseSearches.size() > 64)
            denseSearches.clear();
        denseSearches.emplace(fts5, many);
        return many;
    }

    sql::Statement prepare(const std::string &sql, const Where &w)
    {
        sql::Statement s(db, sql);
        int i = 1;
        for (const auto &bind : w.binds)
            bind(s, i++);
        return s;
    }
};

AuditReader::AuditReader(const std::string &storePath) : m_impl(std::make_unique<Impl>(storePath)) {}

AuditReader::~AuditReader() = default;

std::vector<AuditRow> AuditReader::page(const AuditFilter &filter, AuditSort sort, std::int64_t offset,
                                        std::int64_t limit)
{
    try {
        const Impl::Where w = m_impl->where(filter);
        sql::Statement s = m_impl->prepare(
            pageSql(kSummaryColumns, w.sql, sort, " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset)), w);
        std::vector<AuditRow> out;
        while (s.step())
            out.push_back(readRow(s, false));
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

AuditCursor AuditCursor::after(const AuditRow &row)
{
    return {row.record.tsMs, row.record.latencyMs, row.record.costUsd.value_or(-1.0), row.rowId};
}

std::vector<AuditRow> AuditReader::pageAfter(const AuditFilter &filter, AuditSort sort,
                                             const std::optional<AuditCursor> &after, std::int64_t limit,
                                             bool withPayload)
{
    try {
        AuditFilter f = filter;
        std::string keyset;
        std::vector<std::function<void(sql::Statement &, int)>> keyBinds;
        if (after) {
            const AuditCursor c = *after;
            // For time the cursor narrows the window itself, so the ts index
            // range starts at the cursor instead of being a filter on top.
            switch (sort) {
            case AuditSort::TimeDesc:
                f.window.toMs = std::min(f.window.toMs, c.tsMs + 1);
                keyset = " AND (r.ts < ? OR r.id < ?)";
                break;
            case AuditSort::TimeAsc:
                f.window.fromMs = std::max(f.window.fromMs, c.tsMs);
                keyset = " AND (r.ts > ? OR r.id > ?)";
                break;
            case AuditSort::LatencyDesc: keyset = " AND (r.latency_ms < ? OR (r.latency_ms = ? AND r.id < ?))"; break;
            case AuditSort::LatencyAsc: keyset = " AND (r.latency_ms > ? OR (r.latency_ms = ? AND r.id > ?))"; break;
            case AuditSort::CostDesc:
                keyset = " AND (coalesce(r.cost_usd, -1) < ? OR (coalesce(r.cost_usd, -1) = ? AND r.id < ?))";
                break;
            case AuditSort::CostAsc:
                keyset = " AND (coalesce(r.cost_usd, -1) > ? OR (coalesce(r.cost_usd, -1) = ? AND r.id > ?))";
                break;
            }
            if (inTimeOrder(sort)) {
                keyBinds.push_back([v = c.tsMs](sql::Statement &s, int i) { s.bind(i, v); });
            } else {
                const double key = sort == AuditSort::LatencyDesc || sort == AuditSort::LatencyAsc ? c.latencyMs : c.costUsd;
                keyBinds.push_back([key](sql::Statement &s, int i) { s.bind(i, key); });
                keyBinds.push_back([key](sql::Statement &s, int i) { s.bind(i, key); });
            }
            keyBinds.push_back([v = c.rowId](sql::Statement &s, int i) { s.bind(i, v); });
        }
        // Probing the index per row pays only when the scan stops early: in time order.
        Impl::Where w = m_impl->where(f, inTimeOrder(sort));
        w.sql += keyset;
        w.binds.insert(w.binds.end(), keyBinds.begin(), keyBinds.end());
        sql::Statement s = m_impl->prepare(pageSql(std::string(kSummaryColumns) + (withPayload ? kPayloadColumns : ""), w.sql,
                                                   sort, " LIMIT " + std::to_string(std::max<std::int64_t>(limit, 0))),
                                           w);
        std::vector<AuditRow> out;
        while (s.step())
            out.push_back(readRow(s, withPayload));
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::int64_t AuditReader::count(const AuditFilter &filter)
{
    try {
        const Impl::Where w = m_impl->where(filter);
        sql::Statement s = m_impl->prepare("SELECT count(*) FROM requests r" + w.sql, w);
        return s.step() ? s.columnInt(0) : 0;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::optional<AuditRow> AuditReader::byRequestId(const std::string &requestId)
{
    try {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kSummaryColumns + kPayloadColumns +
                                         " FROM requests r JOIN labels l ON l.id = r.label_id WHERE r.request_id = ?1");
        s.bindText(1, requestId);
        if (!s.step())
            return std::nullopt;
        return readRow(s, true);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::optional<AuditRow> AuditReader::byRowId(std::int64_t rowId)
{
    try {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kSummaryColumns + kPayloadColumns +
                                         " FROM requests r JOIN labels l ON l.id = r.label_id WHERE r.id = ?1");
        s.bind(1, rowId);
        if (!s.step())
            return std::nullopt;
        return readRow(s, true);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

void AuditReader::forEach(const AuditFilter &filter, AuditSort sort,
                          const std::function<bool(const AuditRow &)> &visit)
{
    try {
        const Impl::Where w = m_impl->where(filter);
        sql::Statement s = m_impl->prepare(std::string("SELECT ") + kSummaryColumns + kPayloadColumns +
                                               " FROM requests r JOIN labels l ON l.id = r.label_id" + w.sql +
                                               orderBy(sort),
                                           w);
        while (s.step()) {
            if (!visit(readRow(s, true)))
                return;
        }
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
