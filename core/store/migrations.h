#pragma once

#include <string_view>
#include <vector>

namespace vigil::sql {
class Database;
}

namespace vigil {

// One schema step. Migration N takes a store from user_version N-1 to N and
// runs in one transaction together with the user_version bump.
struct Migration
{
    int version;
    std::string_view description;
    std::string_view sql;
};

const std::vector<Migration> &schemaMigrations();
int latestSchemaVersion();

// Brings `db` to `targetVersion` (default: latest). Throws sql::Error; a store
// newer than this build is refused, never touched.
void migrateSchema(sql::Database &db, int targetVersion = -1);

} // namespace vigil
