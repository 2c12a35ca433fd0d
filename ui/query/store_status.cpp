#include "query/store_status.h"

#include "store/metrics_reader.h"

namespace vigil::ui {

StoreStatus readStoreStatus(MetricsReader &reader, bool countRecords, std::int64_t knownRecords)
{
    StoreStatus s;
    s.lastCommitMs = reader.lastCommitMs();
    s.latestRecordMs = reader.latestRecordMs();
    s.records = countRecords ? reader.totalRequests() : knownRecords;
    return s;
}

} // namespace vigil::ui
