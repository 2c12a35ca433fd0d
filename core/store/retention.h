#pragma once

#include "audit/actor.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// The shortest payload_days a config may set: records younger than this are
// never purged, so the minute rollups of the last day still match the rows
// (the metrics reader relies on it for the minutes at a window's edges).
inline constexpr int kMinPayloadDays = 1;

// How long what is kept: raw records (their payloads) for payloadDays (per
// tenant overrides), rollups for rollupDays so old dashboards still work.
struct RetentionPolicy
{
    int payloadDays = 90;
    int rollupDays = 400;
    std::map<std::string, int> tenantPayloadDays;
    int daysFor(const std::string &tenant) const;
};

struct LegalHold
{
    std::string tenant;
    std::int64_t sinceMs = 0;
    std::string actor;
    std::string reason;
};

struct PurgeSummary
{
    std::map<std::string, std::int64_t> recordsByTenant; // deleted (or to delete, dry run)
    std::int64_t records = 0;
    std::int64_t rollupRows = 0;
    std::int64_t quarantineRows = 0;
    std::vector<std::string> heldTenants;                // skipped because of a hold
    std::optional<std::int64_t> checkpointSeq;           // the chain prefix compacted
    std::int64_t transactions = 0;
    double longestTransactionMs = 0;
    std::int64_t pagesReclaimed = 0;
};

// Deletes what is past its retention in small transactions (each well under
// 100 ms, so ingest never stalls), keeps the hash chain verifiable (purged
// records leave their hash; a fully purged prefix of the chain becomes a
// checkpoint), removes them from the search index, records the purge in the
// operator log, reclaims space (incremental vacuum) and keeps the WAL short.
class Retention final
{
public:
    explicit Retention(const std::string &storePath); // throws StoreError
    ~Retention();
    Retention(const Retention &) = delete;
    Retention &operator=(const Retention &) = delete;

    PurgeSummary plan(const RetentionPolicy &policy, std::int64_t nowMs);
    PurgeSummary purge(const RetentionPolicy &policy, std::int64_t nowMs, const Actor &actor,
                       const std::atomic<bool> *cancel = nullptr,
                       const std::function<void(std::int64_t deleted)> &progress = {});

    // Legal holds suspend deletion for a tenant; both are operator-log entries.
    void hold(const std::string &tenant, const std::string &reason, const Actor &actor);
    bool release(const std::string &tenant, const std::string &reason, const Actor &actor);
    std::vector<LegalHold> holds();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
