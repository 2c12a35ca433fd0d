#include "store/fts_rows.h"

#include "audit/text_extract.h"

namespace vigil {

FtsTexts ftsTexts(std::string_view inputJson, std::string_view output, std::string_view retrievalJson)
{
    return {extractText(inputJson), std::string(output), extractText(retrievalJson)};
}

std::int64_t ftsIndexedUpTo(sql::Database &db)
{
    sql::Statement s(db, "SELECT value FROM meta WHERE key = 'fts_indexed_upto'");
    if (!s.step())
        return 0;
    return std::stoll(std::string(s.columnText(0)));
}

void setFtsIndexedUpTo(sql::Database &db, std::int64_t id)
{
    sql::Statement s(db, "INSERT INTO meta(key, value) VALUES('fts_indexed_upto', ?1) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bindText(1, std::to_string(id));
    s.run();
}

void ftsDeleteRow(sql::Database &db, std::int64_t id, std::string_view inputJson, std::string_view output,
                  std::string_view retrievalJson)
{
    if (id > ftsIndexedUpTo(db))
        return;
    const FtsTexts t = ftsTexts(inputJson, output, retrievalJson);
    sql::Statement s(db, "INSERT INTO requests_fts(requests_fts, rowid, input, output, retrieval_context) "
                         "VALUES('delete', ?1, ?2, ?3, ?4)");
    s.bind(1, id).bindText(2, t.input).bindText(3, t.output).bindText(4, t.retrieval);
    s.run();
}

} // namespace vigil
