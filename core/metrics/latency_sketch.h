#pragma once
// metrics/: exact nearest-rank percentiles and the mergeable latency sketch the
// rollups keep. Plain value types, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// A logarithmic-bucket quantile sketch (the DDSketch idea): bucket i holds the
// values in (g^(i-1), g^i] with g = (1+a)/(1-a), so answering with
// 2 g^i / (g+1) is within relative error a of every value in the bucket. With
// a = 1% the nearest-rank answer for any quantile is within 1% of the exact
// one. Sketches merge by adding counts, so per-minute sketches add up to any
// window. Values below kMinValue (1 ns in milliseconds) count as zero.
class LatencySketch final
{
public:
    static constexpr double kRelativeAccuracy = 0.01;
    static constexpr double kMinValue = 1e-6;

    void add(double value, std::uint64_t count = 1);
    void merge(const LatencySketch &other);
    void clear();

    std::uint64_t count() const { return m_count; }
    bool empty() const { return m_count == 0; }
    double min() const { return m_min; }
    double max() const { return m_max; }

    // Nearest-rank quantile, q in [0, 1]: the value at rank ceil(q * N).
    std::optional<double> quantile(double q) const;

    // Compact binary form for the store; decode rejects damaged input.
    std::string encode() const;
    void encodeTo(std::string &out) const; // replaces `out`, reusing its capacity
    static std::optional<LatencySketch> decode(std::string_view bytes);
    // Adds an encoded sketch without materialising a second object.
    bool mergeEncoded(std::string_view bytes);

    bool operator==(const LatencySketch &) const = default;

private:
    static int indexOf(double value);
    static double valueOf(int index);
    void ensureIndex(int index);

    std::vector<std::uint64_t> m_buckets; // dense from m_offset
    int m_offset = 0;
    std::uint64_t m_zeroCount = 0;
    std::uint64_t m_count = 0;
    double m_min = 0;
    double m_max = 0;
};

} // namespace vigil
