#include "store/quarantine_reader.h"

#include "store/connection.h"
#include "store/sqlite_handle.h"

namespace vigil {

namespace {

std::string whereClause(const QuarantineReader::Filter &f)
{
    std::string where = " WHERE 1";
    if (f.source)
        where += " AND source = ?1";
    if (f.reason)
        where += " AND reason = ?2";
    if (f.sinceMs)
        where += " AND received_at >= ?3";
    return where;
}

void bindFilter(sql::Statement &s, const QuarantineReader::Filter &f)
{
    if (f.source)
        s.bindText(1, *f.source);
    if (f.reason)
        s.bindText(2, *f.reason);
    if (f.sinceMs)
        s.bind(3, *f.sinceMs);
}

QuarantinedLine readRow(const sql::Statement &s)
{
    QuarantinedLine q;
    q.id = s.columnInt(0);
    q.receivedAtMs = s.columnInt(1);
    q.source = std::string(s.columnText(2));
    q.line = s.columnOptionalInt(3);
    q.byteOffset = s.columnOptionalInt(4);
    q.reason = std::string(s.columnText(5));
    q.detail = std::string(s.columnText(6));
    q.raw = std::string(s.columnBlob(7));
    q.rawSize = s.columnInt(8);
    return q;
}

constexpr const char *kColumns =
    "SELECT id, received_at, source, line, byte_offset, reason, detail, raw, raw_size FROM quarantine";

} // namespace

struct QuarantineReader::Impl
{
    std::string path;
    sql::Database db;
    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Reader)) {}
};

QuarantineReader::QuarantineReader(const std::string &storePath)
    : m_impl(std::make_unique<Impl>(storePath))
{
}

QuarantineReader::~QuarantineReader() = default;

std::vector<QuarantinedLine> QuarantineReader::list(const Filter &filter)
{
    try {
        sql::Statement s(m_impl->db, std::string(kColumns) + whereClause(filter) +
                                         " ORDER BY id DESC LIMIT ?4");
        bindFilter(s, filter);
        s.bind(4, filter.limit);
        std::vector<QuarantinedLine> out;
        while (s.step())
            out.push_back(readRow(s));
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::optional<QuarantinedLine> QuarantineReader::get(std::int64_t id)
{
    try {
        sql::Statement s(m_impl->db, std::string(kColumns) + " WHERE id = ?1");
        s.bind(1, id);
        if (!s.step())
            return std::nullopt;
        return readRow(s);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::int64_t QuarantineReader::count(const Filter &filter)
{
    try {
        sql::Statement s(m_impl->db, "SELECT count(*) FROM quarantine" + whereClause(filter));
        bindFilter(s, filter);
        return s.step() ? s.columnInt(0) : 0;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::map<std::string, std::int64_t> QuarantineReader::countByReason(const Filter &filter)
{
    try {
        sql::Statement s(m_impl->db, "SELECT reason, count(*) FROM quarantine" +
                                         whereClause(filter) + " GROUP BY reason");
        bindFilter(s, filter);
        std::map<std::string, std::int64_t> out;
        while (s.step())
            out[std::string(s.columnText(0))] = s.columnInt(1);
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
