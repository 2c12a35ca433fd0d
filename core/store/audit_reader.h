#pragma once

#include "audit/search_query.h"
#include "metrics/time_window.h"
#include "record/record.h"
#include "store/labels.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vigil {

struct AuditFilter
{
    TimeWindow window;
    LabelFilter labels;
    std::optional<std::string> user;
    std::optional<std::string> errorType;
    std::set<Outcome> outcomes; // empty: all
    std::optional<double> latencyAboveMs;
    std::optional<double> costAboveUsd;
    std::optional<std::string> traceId;
    std::optional<std::string> sessionId;
    std::optional<SearchQuery> search; // full text
};

enum class AuditSort { TimeDesc, TimeAsc, LatencyDesc, LatencyAsc, CostDesc, CostAsc };

// One model call as the audit table lists it.
struct AuditRow
{
    std::int64_t rowId = 0;
    Record record; // payload fields only filled by AuditReader::record()
};

// Where a page ended, for keyset pagination: the next page starts after this
// row in the page's sort order.
struct AuditCursor
{
    std::int64_t tsMs = 0;
    double latencyMs = 0;
    double costUsd = -1; // no cost sorts as -1
    std::int64_t rowId = 0;
    static AuditCursor after(const AuditRow &row);
};

// Reads the audit trail: filtered, sorted pages of calls (for chunked views),
// one call with its whole payload, and every call of a filter for exports.
// Owns one read connection; use from one thread at a time.
class AuditReader final
{
public:
    explicit AuditReader(const std::string &storePath); // throws StoreError
    ~AuditReader();
    AuditReader(const AuditReader &) = delete;
    AuditReader &operator=(const AuditReader &) = delete;

    std::vector<AuditRow> page(const AuditFilter &filter, AuditSort sort, std::int64_t offset,
                               std::int64_t limit);
    // The `limit` calls that follow `after` (the first ones without it) in
    // `sort` order. Keyset pagination: a page deep into ten million rows costs
    // what the first page costs, where an OFFSET would step over every row
    // before it. With `withPayload` the payload fields are read too.
    std::vector<AuditRow> pageAfter(const AuditFilter &filter, AuditSort sort, const std::optional<AuditCursor> &after,
                                    std::int64_t limit, bool withPayload = false);
    std::int64_t count(const AuditFilter &filter);
    std::optional<AuditRow> byRequestId(const std::string &requestId);
    std::optional<AuditRow> byRowId(std::int64_t rowId);
    // Calls `visit` for each matching call with its payload, in `sort` order,
    // until it returns false.
    void forEach(const AuditFilter &filter, AuditSort sort, const std::function<bool(const AuditRow &)> &visit);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
