#include "ingest/ingest_summary.h"

namespace vigil {

void IngestSummary::merge(const IngestSummary &other)
{
    records += other.records;
    duplicates += other.duplicates;
    quarantined += other.quarantined;
    for (const auto &[reason, count] : other.quarantinedByReason)
        quarantinedByReason[reason] += count;
    bytes += other.bytes;
    lines += other.lines;
    fileErrors.insert(fileErrors.end(), other.fileErrors.begin(), other.fileErrors.end());
    pendingLines.insert(pendingLines.end(), other.pendingLines.begin(), other.pendingLines.end());
    if (other.storeError && !storeError)
        storeError = other.storeError;
}

} // namespace vigil
