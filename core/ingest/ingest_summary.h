#pragma once

#include "store/store_error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// What an ingest run did, added up over its committed batches only: a batch
// that failed to commit counts for nothing.
struct IngestSummary
{
    std::int64_t records = 0;    // new records stored
    std::int64_t duplicates = 0; // records whose request_id was already stored
    std::int64_t quarantined = 0;
    std::map<std::string, std::int64_t> quarantinedByReason;
    std::int64_t bytes = 0;      // input bytes consumed (uncompressed)
    std::int64_t lines = 0;
    double seconds = 0;
    std::vector<std::string> fileErrors; // "path: reason" for files that could not be read
    std::vector<std::string> pendingLines; // unfinished last lines left for the next run
    std::optional<StoreError> storeError; // the store failed: the run stopped

    void merge(const IngestSummary &other);
    double recordsPerSecond() const { return seconds > 0 ? static_cast<double>(records) / seconds : 0; }
};

} // namespace vigil
