#pragma once
// Opening a configured SQLite connection to a Vigil store. Internal to store/.

#include "store/sqlite_handle.h"
#include "store/store_error.h"

#include <string>

namespace vigil {

enum class ConnectionRole {
    Writer,      // creates the store when missing and migrates it
    Reader,      // never creates; query_only
    Maintenance, // an existing, current store: no migration, no write lock on open
};

// Opens (Writer: creates and migrates when needed) and configures a connection.
// Throws StoreError.
sql::Database openConnection(const std::string &path, ConnectionRole role);

// Maps an SQLite failure onto a StoreError naming the path.
StoreError toStoreError(const sql::Error &error, const std::string &path);

inline constexpr int kVigilApplicationId = 0x5669676C; // "Vigl"

} // namespace vigil
