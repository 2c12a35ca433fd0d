#include "store/store_meta.h"

#include "store/connection.h"

#include <filesystem>

namespace vigil {

std::optional<std::string> readStoreMeta(const std::string &storePath, const std::string &key)
{
    try {
        sql::Database db = openConnection(storePath, ConnectionRole::Reader);
        sql::Statement s(db, "SELECT value FROM meta WHERE key = ?1");
        s.bindText(1, key);
        if (!s.step())
            return std::nullopt;
        return std::string(s.columnText(0));
    } catch (const sql::Error &e) {
        throw toStoreError(e, storePath);
    }
}

void writeStoreMeta(const std::string &storePath, const std::string &key, const std::string &value)
{
    try {
        sql::Database db = openConnection(storePath, ConnectionRole::Writer);
        sql::Statement s(db, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        s.bindText(1, key).bindText(2, value);
        s.run();
    } catch (const sql::Error &e) {
        throw toStoreError(e, storePath);
    }
}

bool removeStoreFiles(const std::string &storePath)
{
    std::error_code ec;
    bool ok = true;
    for (const char *suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(storePath + suffix, ec);
        ok = ok && !ec;
    }
    return ok;
}

} // namespace vigil
