#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

namespace sql {
class Database;
}

enum class TamperKind { Changed, Deleted, Reordered, Inserted, Truncated };
const char *tamperKindName(TamperKind kind);

// Where the chain first fails to hold, and what was done to it.
struct ChainBreak
{
    std::int64_t seq = 0; // the link (0: not tied to one link)
    std::string what;     // "batch 12", "operator-log entry 7", "chain head"
    TamperKind kind = TamperKind::Changed;
    std::string message;
    std::vector<std::string> requestIds; // records affected, when known (first 20)
};

// A chain head kept outside the store (`vigilctl audit checkpoint --export`):
// with it, verify also notices a chain that was cut short or rewritten whole.
struct ExternalCheckpoint
{
    std::int64_t seq = 0;
    std::string hashHex;
    std::int64_t atMs = 0;
    std::string toJson() const;
    static std::optional<ExternalCheckpoint> fromJson(const std::string &json, std::string &error);
};

struct VerifyReport
{
    bool ok = true;
    std::int64_t links = 0;
    std::int64_t records = 0;
    std::int64_t operatorEntries = 0;
    std::int64_t unchainedRecords = 0; // stored before the chain existed (schema v1)
    std::int64_t startSeq = 0;          // after the last purge checkpoint
    std::int64_t headSeq = 0;
    std::string headHashHex;
    std::optional<ChainBreak> firstBreak;
};

// Recomputes every record's hash from its stored columns, every link from the
// one before, and compares. Reads through its own connection.
class ChainVerifier final
{
public:
    explicit ChainVerifier(const std::string &storePath); // throws StoreError
    ~ChainVerifier();
    ChainVerifier(const ChainVerifier &) = delete;
    ChainVerifier &operator=(const ChainVerifier &) = delete;

    VerifyReport verify(const std::optional<ExternalCheckpoint> &checkpoint = {},
                        const std::atomic<bool> *cancel = nullptr,
                        const std::function<void(std::int64_t records)> &progress = {});

private:
    std::string m_path;
    std::unique_ptr<sql::Database> m_db;
};

// The same check on an open connection (tests tamper inside a savepoint).
VerifyReport verifyChain(sql::Database &db, const std::optional<ExternalCheckpoint> &checkpoint = {},
                         const std::atomic<bool> *cancel = nullptr,
                         const std::function<void(std::int64_t records)> &progress = {});

// Records the current head as a checkpoint in the store and returns it (for
// export). Throws StoreError.
ExternalCheckpoint recordChainCheckpoint(const std::string &storePath, const std::string &reason);

} // namespace vigil
