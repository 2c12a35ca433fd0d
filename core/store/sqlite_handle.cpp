#include "store/sqlite_handle.h"

#include <cstring>

namespace vigil::sql {

namespace {
// Must run before SQLite initialises: the memory statistics take a global
// mutex on every allocation, which the writer pays for on every row.
const bool g_configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
}();
} // namespace

Database::Database(const std::string &path, int flags)
{
    (void)g_configured;
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        // The path is added where the error becomes a StoreError; the system
        // error says why ("unable to open database file" alone does not).
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        if (const int systemError = db ? sqlite3_system_errno(db) : 0; systemError != 0)
            message += std::string(" (") + std::strerror(systemError) + ")";
        sqlite3_close_v2(db);
        throw Error(rc, message);
    }
    sqlite3_extended_result_codes(db, 1);
    m_db = db;
}

Database::~Database()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = other.m_db;
        other.m_db = nullptr;
    }
    return *this;
}

void Database::fail(int code, std::string_view what) const
{
    std::string message(what);
    if (m_db) {
        message += ": ";
        message += sqlite3_errmsg(m_db);
    }
    throw Error(code, message);
}

void Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw Error(sqlite3_extended_errcode(m_db), message);
    }
}

std::int64_t Database::queryInt(std::string_view sql)
{
    Statement stmt(*this, sql);
    if (!stmt.step())
        return 0;
    return stmt.columnInt(0);
}

Statement::Statement(const Database &db, std::string_view sql) : m_db(db.handle())
{
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        db.fail(rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = other.m_stmt;
        m_db = other.m_db;
        other.m_stmt = nullptr;
    }
    return *this;
}

namespace {
void check(sqlite3 *db, int rc)
{
    if (rc != SQLITE_OK)
        throw Error(rc, sqlite3_errmsg(db));
}
} // namespace

Statement &Statement::bindInt64(int index, std::int64_t value)
{
    check(m_db, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    check(m_db, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Statement &Statement::bindText(int index, std::string_view value)
{
    check(m_db, sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC,
                                    SQLITE_UTF8));
    return *this;
}

Statement &Statement::bindTextOrNull(int index, std::string_view value)
{
    return value.empty() ? bindNull(index) : bindText(index, value);
}

Statement &Statement::bindBlob(int index, std::string_view value)
{
    check(m_db, sqlite3_bind_blob64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    check(m_db, sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int code = sqlite3_extended_errcode(m_db);
    const std::string message = sqlite3_errmsg(m_db);
    sqlite3_reset(m_stmt);
    throw Error(code ? code : rc, message);
}

void Statement::reset()
{
    // Bindings are kept: every caller binds all parameters before each step.
    sqlite3_reset(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string_view Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!text)
        return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::string_view Statement::columnBlob(int column) const
{
    const auto *blob = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    if (!blob)
        return {};
    return {blob, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::optional<std::int64_t> Statement::columnOptionalInt(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return columnInt(column);
}

std::optional<double> Statement::columnOptionalDouble(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return columnDouble(column);
}

Transaction::Transaction(Database &db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_open)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

ReadSnapshot::ReadSnapshot(Database &db) : m_db(db)
{
    m_db.exec("BEGIN");
}

ReadSnapshot::~ReadSnapshot()
{
    sqlite3_exec(m_db.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

} // namespace vigil::sql
