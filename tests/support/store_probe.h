#pragma once
// Reads a Vigil store with plain SQL, for tests that must check what is on
// disk rather than what the query API says: every request id, the quarantine,
// the rollup tables against the raw rows they summarise, and the schema.

#include "store/sqlite_handle.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::test {

struct ProbedQuarantine
{
    std::string source;
    std::optional<std::int64_t> line;
    std::optional<std::int64_t> byteOffset;
    std::string reason;
    std::string detail;
    std::string raw;
    std::int64_t rawSize = 0;
};

struct ProbedSource
{
    std::string path;
    std::int64_t offset = 0;
    std::int64_t line = 0;
};

class StoreProbe final
{
public:
    // Opens an existing store without creating or migrating it; throws sql::Error.
    explicit StoreProbe(const std::string &path);

    std::int64_t requestCount();
    std::vector<std::string> requestIds();
    std::vector<ProbedQuarantine> quarantine(); // in insertion order
    std::vector<ProbedSource> sources();
    std::int64_t userVersion();
    std::int64_t applicationId();
    std::string integrityCheck(); // "ok" when sound
    // Every table, index and trigger definition, sorted: equal for equal schemas.
    std::vector<std::string> schema();

    // Differences between rollup_minute / rollup_hour (and their error tables)
    // and the requests rows: counts by outcome, tokens, cost, retrieval,
    // latency sum and max, and the sketch's count. Empty when they agree.
    std::vector<std::string> rollupMismatches();

    sql::Database &database() { return m_db; }

private:
    sql::Database m_db;
};

// Convenience for assertions: the mismatches joined into one message.
std::string describeProblems(const std::vector<std::string> &problems, std::size_t shown = 10);

} // namespace vigil::test
