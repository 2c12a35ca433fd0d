#pragma once

#include "audit/actor.h"
#include "audit/operator_log_entry.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

namespace sql {
class Database;
}

// Inside a store transaction (store/ internal): appends the entry and its
// chain link; returns the entry's id. The change it describes must be in the
// same transaction: no record, no change.
std::int64_t appendOperatorLog(sql::Database &db, const OperatorAction &action, const Actor &actor,
                               std::int64_t at);

// The operator log as the rest of core sees it.
class OperatorLog final
{
public:
    explicit OperatorLog(const std::string &storePath); // throws StoreError
    ~OperatorLog();
    OperatorLog(const OperatorLog &) = delete;
    OperatorLog &operator=(const OperatorLog &) = delete;

    // Records a change that has no other rows (an ingest run, a config
    // change) in its own transaction. Throws StoreError.
    OperatorLogEntry record(const OperatorAction &action, const Actor &actor = currentActor());

    struct Filter
    {
        std::optional<std::int64_t> fromMs;
        std::optional<std::int64_t> toMs;
        std::optional<std::string> action; // exact, or a prefix ending in '.' ("prompt.")
        std::int64_t limit = 200;
    };
    std::vector<OperatorLogEntry> list(const Filter &filter); // newest first

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
