#include "store/connection.h"

#include "store/migrations.h"

#include <filesystem>
#include <system_error>

namespace vigil {

StoreError toStoreError(const sql::Error &error, const std::string &path)
{
    const std::string what = path + ": " + error.what();
    switch (error.primaryCode()) {
    case SQLITE_FULL: return StoreError(StoreErrorKind::DiskFull, path + ": disk full (" + error.what() + ")");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN: return StoreError(StoreErrorKind::NotWritable, what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StoreError(StoreErrorKind::Locked, path + ": the store is locked by another process (" + error.what() + ")");
    case SQLITE_NOTADB: return StoreError(StoreErrorKind::NotAVigilStore, path + ": not a Vigil store (not an SQLite database)");
    case SQLITE_CORRUPT: return StoreError(StoreErrorKind::Corrupt, what);
    case SQLITE_IOERR: {
        // A failed write is most often a full disk (or a file size limit).
        const int code = error.code();
        const bool writing = code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC ||
                             code == SQLITE_IOERR_DIR_FSYNC || code == SQLITE_IOERR_TRUNCATE ||
                             code == SQLITE_IOERR_SHMSIZE;
        return StoreError(StoreErrorKind::Io, path + (writing ? ": I/O error while writing, the disk may be full ("
                                                              : ": I/O error (") + error.what() + ")");
    }
    default: return StoreError(StoreErrorKind::Other, what);
    }
}

namespace {

void initialiseNewStore(sql::Database &db)
{
    // Page size and auto-vacuum only take effect before the first table exists
    // and before WAL is switched on.
    db.exec("PRAGMA page_size = 16384");
    db.exec("PRAGMA auto_vacuum = INCREMENTAL");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA application_id = " + std::to_string(kVigilApplicationId));
}

void checkIdentity(sql::Database &db, const std::string &path, bool mayInitialise)
{
    const auto appId = db.queryInt("PRAGMA application_id");
    const auto tables = db.queryInt("SELECT count(*) FROM sqlite_master");
    if (appId == 0 && tables == 0) {
        if (mayInitialise)
            initialiseNewStore(db);
        return;
    }
    if (appId != kVigilApplicationId)
        throw StoreError(StoreErrorKind::NotAVigilStore,
                         path + ": not a Vigil store (an SQLite database of another application)");
    const auto version = db.queryInt("PRAGMA user_version");
    if (version > latestSchemaVersion())
        throw StoreError(StoreErrorKind::NewerSchema,
                         path + ": the store has schema version " + std::to_string(version) +
                             ", newer than this Vigil understands (" +
                             std::to_string(latestSchemaVersion()) + "); upgrade Vigil");
}

} // namespace

sql::Database openConnection(const std::string &path, ConnectionRole role)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (role != ConnectionRole::Writer && !exists)
        throw StoreError(StoreErrorKind::NotFound,
                         path + ": no Vigil store here (ingest data first, or pass --db)");
    if (role == ConnectionRole::Writer && !exists) {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty())
            fs::create_directories(parent, ec);
        if (ec)
            throw StoreError(StoreErrorKind::NotWritable,
                             path + ": cannot create the store's folder: " + ec.message());
    }
    try {
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                          (role == ConnectionRole::Writer ? SQLITE_OPEN_CREATE : 0);
        sql::Database db;
        try {
            db = sql::Database(path, flags);
        } catch (const sql::Error &) {
            if (role != ConnectionRole::Reader)
                throw;
            db = sql::Database(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
        }
        sqlite3_busy_timeout(db.handle(), 10000);
        checkIdentity(db, path, role == ConnectionRole::Writer);
        if (role == ConnectionRole::Maintenance) {
            db.exec("PRAGMA synchronous = FULL");
        } else if (role == ConnectionRole::Writer) {
            db.exec("PRAGMA journal_mode = WAL");
            db.exec("PRAGMA synchronous = FULL");
            db.exec("PRAGMA cache_size = -65536");
            db.exec("PRAGMA temp_store = MEMORY");
            // A restarted log is cut back to this size instead of keeping its peak.
            db.exec("PRAGMA journal_size_limit = 301989888");
            migrateSchema(db);
        } else {
            const auto version = db.queryInt("PRAGMA user_version");
            if (version < latestSchemaVersion()) {
                // An older store: bring it up to date once through a writer.
                sql::Database writer = openConnection(path, ConnectionRole::Writer);
            }
            db.exec("PRAGMA cache_size = -32768");
            db.exec("PRAGMA temp_store = MEMORY");
            db.exec("PRAGMA query_only = 1");
        }
        return db;
    } catch (const sql::Error &error) {
        throw toStoreError(error, path);
    }
}

} // namespace vigil
