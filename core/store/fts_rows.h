#pragma once
// What the search index holds for a row, and how far it got (store/ internal):
// the indexer adds rows with these texts, the purge deletes them with the
// same texts (a contentless FTS5 index needs them to delete).

#include "store/sqlite_handle.h"

#include <string>
#include <string_view>

namespace vigil {

struct FtsTexts
{
    std::string input;
    std::string output;
    std::string retrieval;
};

FtsTexts ftsTexts(std::string_view inputJson, std::string_view output, std::string_view retrievalJson);

std::int64_t ftsIndexedUpTo(sql::Database &db);
void setFtsIndexedUpTo(sql::Database &db, std::int64_t id);

// Removes row `id` from the index when it is in it.
void ftsDeleteRow(sql::Database &db, std::int64_t id, std::string_view inputJson, std::string_view output,
                  std::string_view retrievalJson);

} // namespace vigil
