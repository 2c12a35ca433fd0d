#include "store/fts_indexer.h"

#include "audit/text_extract.h"
#include "store/connection.h"
#include "store/fts_rows.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace vigil {

struct FtsIndexer::Impl
{
    std::string path;
    sql::Database db;
    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Maintenance)) {}
};

FtsIndexer::FtsIndexer(const std::string &storePath)
{
    // A writer open first creates and migrates the store when needed.
    { sql::Database writer = openConnection(storePath, ConnectionRole::Writer); }
    m_impl = std::make_unique<Impl>(storePath);
    sqlite3_busy_timeout(m_impl->db.handle(), 30000);
    // The index is derived data: its rows and the "indexed up to" mark commit
    // together, so a power cut can only lose the last few index transactions,
    // which the next pass redoes. Not waiting for an fsync on each of its many
    // small transactions is what keeps the pass from trailing ingest.
    m_impl->db.exec("PRAGMA synchronous = NORMAL");
}

FtsIndexer::~FtsIndexer() = default;

std::int64_t FtsIndexer::pending()
{
    try {
        const std::int64_t upto = ftsIndexedUpTo(m_impl->db);
        sql::Statement s(m_impl->db, "SELECT count(*) FROM requests WHERE id > ?1");
        s.bind(1, upto);
        return s.step() ? s.columnInt(0) : 0;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::int64_t FtsIndexer::catchUp(const std::atomic<bool> *cancel,
                                 const std::function<void(const Progress &)> &progress)
{
    using Clock = std::chrono::steady_clock;
    std::int64_t total = 0;
    std::int64_t chunk = 500;
    try {
        Progress p;
        p.remaining = pending();
        while (!(cancel && cancel->load())) {
            const auto started = Clock::now();
            sql::Transaction txn(m_impl->db);
            const std::int64_t upto = ftsIndexedUpTo(m_impl->db);
            sql::Statement rows(m_impl->db, "SELECT id, input, output, retrieval_context FROM requests "
                                            "WHERE id > ?1 ORDER BY id LIMIT ?2");
            rows.bind(1, upto).bind(2, chunk);
            sql::Statement insert(m_impl->db, "INSERT INTO requests_fts(rowid, input, output, retrieval_context) "
                                              "VALUES(?1, ?2, ?3, ?4)");
            std::int64_t last = upto, n = 0;
            while (rows.step()) {
                last = rows.columnInt(0);
                const FtsTexts texts = ftsTexts(rows.columnText(1), rows.columnText(2), rows.columnText(3));
                insert.bind(1, last).bindText(2, texts.input).bindText(3, texts.output);
                insert.bindText(4, texts.retrieval);
                insert.run();
                ++n;
            }
            if (n == 0)
                break;
            setFtsIndexedUpTo(m_impl->db, last);
            txn.commit();
            total += n;
            p.indexed = total;
            p.remaining = std::max<std::int64_t>(0, p.remaining - n);
            if (progress)
                progress(p);
            // Keep each transaction near 50 ms so ingest never waits long.
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
            if (ms < 25 && chunk < 20000)
                chunk *= 2;
            else if (ms > 80 && chunk > 50)
                chunk /= 2;
            if (m_yield.count() > 0)
                std::this_thread::sleep_for(std::max(m_yield, std::chrono::milliseconds(ms)));
        }
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
    return total;
}

} // namespace vigil
