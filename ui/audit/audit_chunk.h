#pragma once
// One chunk of the audit table, read on a worker: the rows after a cursor in
// the table's order, and for a search the snippet of each row's text around
// its first match.

#include "store/audit_reader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::ui {

// Snippets carry their matches between these two characters; the table's
// delegate draws them highlighted and the display text leaves them out.
inline constexpr char kMatchOpen = '\x1e';
inline constexpr char kMatchClose = '\x1f';

struct AuditChunk
{
    std::vector<AuditRow> rows;        // payload fields left empty
    std::vector<std::string> snippets; // one per row when the filter searches
    bool atEnd = false;                // no rows after these
};

AuditChunk readAuditChunk(AuditReader &reader, const AuditFilter &filter, AuditSort sort,
                          const std::optional<AuditCursor> &after, std::int64_t limit);

// The text around the first match in the call's input, output or retrieval
// context, with kMatchOpen/kMatchClose around each match; empty when none.
std::string searchSnippet(const Record &record, const SearchQuery &query);

} // namespace vigil::ui
