#include "store/rollup_accumulator.h"

#include <algorithm>
#include <numeric>

namespace vigil {

std::uint64_t RollupCell::requests() const
{
    return std::accumulate(byOutcome.begin(), byOutcome.end(), std::uint64_t{0});
}

void RollupCell::add(const Record &record)
{
    ++byOutcome[static_cast<std::size_t>(record.outcome)];
    inputTokens += record.inputTokens.value_or(0);
    outputTokens += record.outputTokens.value_or(0);
    if (record.costUsd) {
        costUsd += *record.costUsd;
        if (record.costSource == CostSource::Computed)
            costComputedUsd += *record.costUsd;
    } else {
        ++costUnknown;
    }
    if (record.retrievalHits) {
        ++retrievalRequests;
        retrievalHits += static_cast<std::uint64_t>(*record.retrievalHits);
        retrievalEmpty += *record.retrievalHits == 0;
    }
    latencySum += record.latencyMs;
    latencyMax = std::max(latencyMax, record.latencyMs);
    sketch.add(record.latencyMs);
}

void RollupCell::merge(const RollupCell &other)
{
    for (std::size_t i = 0; i < byOutcome.size(); ++i)
        byOutcome[i] += other.byOutcome[i];
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
    costUsd += other.costUsd;
    costComputedUsd += other.costComputedUsd;
    costUnknown += other.costUnknown;
    retrievalRequests += other.retrievalRequests;
    retrievalHits += other.retrievalHits;
    retrievalEmpty += other.retrievalEmpty;
    latencySum += other.latencySum;
    latencyMax = std::max(latencyMax, other.latencyMax);
    sketch.merge(other.sketch);
}

void RollupAccumulator::add(std::int64_t labelId, const Record &record)
{
    const std::int64_t bucket = floorTo(record.tsMs, m_bucketMs);
    m_cells[Key{bucket, labelId}].add(record);
    if (!record.errorType.empty())
        ++m_errors[{bucket, labelId, record.errorType}];
}

void RollupAccumulator::clear()
{
    m_cells.clear();
    m_errors.clear();
}

} // namespace vigil
