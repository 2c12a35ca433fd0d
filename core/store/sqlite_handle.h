#pragma once
// store/: everything that knows SQL. The SQLite file, its schema migrations,
// the single batch writer, rollups and the read queries. Nothing outside this
// folder includes sqlite3.h, so a second backend can implement the same API.

#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::sql {

// An SQLite failure with its result code; thrown inside store/ only and turned
// into a StoreError at the module's boundary.
class Error : public std::runtime_error
{
public:
    Error(int code, const std::string &message) : std::runtime_error(message), m_code(code) {}
    int code() const { return m_code; }
    int primaryCode() const { return m_code & 0xFF; }

private:
    int m_code;
};

// Owns one sqlite3 connection.
class Database final
{
public:
    Database() = default;
    // Opens `path` with `flags` (SQLITE_OPEN_*); throws Error.
    Database(const std::string &path, int flags);
    ~Database();
    Database(Database &&other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    sqlite3 *handle() const { return m_db; }
    bool isOpen() const { return m_db != nullptr; }
    void exec(std::string_view sql);
    std::int64_t queryInt(std::string_view sql);
    [[noreturn]] void fail(int code, std::string_view what) const;

private:
    sqlite3 *m_db = nullptr;
};

// Owns one prepared statement; bind indexes are 1-based as in SQLite.
class Statement final
{
public:
    Statement() = default;
    Statement(const Database &db, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept : m_stmt(other.m_stmt), m_db(other.m_db)
    {
        other.m_stmt = nullptr;
    }
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    template <std::integral T> Statement &bind(int index, T value)
    {
        return bindInt64(index, static_cast<std::int64_t>(value));
    }
    Statement &bind(int index, double value);
    Statement &bindInt64(int index, std::int64_t value);
    // Text is bound without a copy: it must stay alive until the next step/reset.
    Statement &bindText(int index, std::string_view value);
    Statement &bindTextOrNull(int index, std::string_view value); // empty -> NULL
    Statement &bindBlob(int index, std::string_view value);
    Statement &bindNull(int index);
    template <typename T> Statement &bindOptional(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    // True when a row is available, false when done; throws Error.
    bool step();
    void reset();
    void run() { step(); reset(); }

    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string_view columnText(int column) const;
    std::string_view columnBlob(int column) const;
    std::optional<std::int64_t> columnOptionalInt(int column) const;
    std::optional<double> columnOptionalDouble(int column) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless committed.
class Transaction final
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_open = true;
};

// A deferred read transaction: every statement until the end of the scope
// sees the same committed state. Ends with COMMIT (nothing to write).
class ReadSnapshot final
{
public:
    explicit ReadSnapshot(Database &db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    Database &m_db;
};

} // namespace vigil::sql
