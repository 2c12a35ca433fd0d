#pragma once

#include "metrics/latency_sketch.h"
#include "record/record.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace vigil {

// The additive figures of a set of requests: what a rollup row holds and what
// a metrics query adds up. Everything here merges by addition (max by max).
struct RollupCell
{
    std::array<std::uint64_t, kOutcomeCount> byOutcome{};
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    double costUsd = 0;
    double costComputedUsd = 0;
    std::uint64_t costUnknown = 0;
    std::uint64_t retrievalRequests = 0; // requests that reported retrieval_hits
    std::uint64_t retrievalHits = 0;
    std::uint64_t retrievalEmpty = 0;    // ... with zero hits
    double latencySum = 0;
    double latencyMax = 0;
    LatencySketch sketch;

    std::uint64_t requests() const;
    void add(const Record &record);
    void merge(const RollupCell &other);
};

inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 86'400'000;

inline std::int64_t floorTo(std::int64_t ms, std::int64_t unit)
{
    const std::int64_t r = ms % unit;
    return r < 0 ? ms - r - unit : ms - r;
}

// Aggregates one batch per (bucket, label) before it is merged into the
// rollup tables, so a 10k-record batch touches hundreds of rows, not 10k.
class RollupAccumulator final
{
public:
    struct Key
    {
        std::int64_t bucket;
        std::int64_t labelId;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash
    {
        std::size_t operator()(const Key &k) const
        {
            return std::hash<std::int64_t>()(k.bucket * 1000003 ^ k.labelId);
        }
    };

    explicit RollupAccumulator(std::int64_t bucketMs) : m_bucketMs(bucketMs) {}
    void add(std::int64_t labelId, const Record &record);
    void clear();

    const std::unordered_map<Key, RollupCell, KeyHash> &cells() const { return m_cells; }
    // (bucket, label, error_type) -> count
    const std::map<std::tuple<std::int64_t, std::int64_t, std::string>, std::uint64_t> &errors() const
    {
        return m_errors;
    }

private:
    std::int64_t m_bucketMs;
    std::unordered_map<Key, RollupCell, KeyHash> m_cells;
    std::map<std::tuple<std::int64_t, std::int64_t, std::string>, std::uint64_t> m_errors;
};

} // namespace vigil
