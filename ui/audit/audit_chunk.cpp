#include "audit/audit_chunk.h"

#include "audit/text_extract.h"

namespace vigil::ui {

std::string searchSnippet(const Record &record, const SearchQuery &query)
{
    for (const std::string &text : {extractText(record.inputJson), record.output.value_or(std::string()),
                                    extractText(record.retrievalContextJson)}) {
        if (!findMatches(text, query).empty())
            return makeSnippet(text, query, 120, std::string_view(&kMatchOpen, 1), std::string_view(&kMatchClose, 1));
    }
    return {};
}

AuditChunk readAuditChunk(AuditReader &reader, const AuditFilter &filter, AuditSort sort,
                          const std::optional<AuditCursor> &after, std::int64_t limit)
{
    AuditChunk chunk;
    // The payload is read only to cut snippets from; the table keeps none.
    const bool snippets = filter.search.has_value();
    chunk.rows = reader.pageAfter(filter, sort, after, limit, snippets);
    chunk.atEnd = static_cast<std::int64_t>(chunk.rows.size()) < limit;
    if (snippets) {
        chunk.snippets.reserve(chunk.rows.size());
        for (AuditRow &row : chunk.rows) {
            chunk.snippets.push_back(searchSnippet(row.record, *filter.search));
            Record &r = row.record;
            r.inputJson.clear();
            r.output.reset();
            r.retrievalContextJson.clear();
            r.actionJson.clear();
            r.attributesJson.clear();
        }
    }
    return chunk;
}

} // namespace vigil::ui
