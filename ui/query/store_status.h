#pragma once

#include <cstdint>
#include <optional>

namespace vigil {
class MetricsReader;
}

namespace vigil::ui {

// What the status bar says about the store, read on a worker.
struct StoreStatus
{
    std::int64_t records = 0;
    std::optional<std::int64_t> lastCommitMs;   // when data last arrived
    std::optional<std::int64_t> latestRecordMs; // the newest request
};

// Counting every record scans an index: callers pass countRecords only when
// data arrived since the last count.
StoreStatus readStoreStatus(MetricsReader &reader, bool countRecords, std::int64_t knownRecords);

} // namespace vigil::ui
