#include "metrics/latency_sketch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vigil {

namespace {

const double kGamma = (1 + LatencySketch::kRelativeAccuracy) / (1 - LatencySketch::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);
constexpr unsigned char kFormatVersion = 1;

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

bool getVarint(std::string_view &in, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (in.empty())
            return false;
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

void putDouble(std::string &out, double d)
{
    char buf[sizeof d];
    std::memcpy(buf, &d, sizeof d);
    out.append(buf, sizeof d);
}

bool getDouble(std::string_view &in, double &d)
{
    if (in.size() < sizeof d)
        return false;
    std::memcpy(&d, in.data(), sizeof d);
    in.remove_prefix(sizeof d);
    return true;
}

std::uint64_t zigzag(std::int64_t v)
{
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v)
{
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

} // namespace

int LatencySketch::indexOf(double value)
{
    return static_cast<int>(std::ceil(std::log(value) / kLogGamma));
}

double LatencySketch::valueOf(int index)
{
    return 2 * std::pow(kGamma, index) / (kGamma + 1);
}

void LatencySketch::ensureIndex(int index)
{
    if (m_buckets.empty()) {
        m_offset = index;
        m_buckets.assign(1, 0);
        return;
    }
    if (index < m_offset) {
        m_buckets.insert(m_buckets.begin(), static_cast<std::size_t>(m_offset - index), 0);
        m_offset = index;
    } else if (index >= m_offset + static_cast<int>(m_buckets.size())) {
        m_buckets.resize(static_cast<std::size_t>(index - m_offset + 1), 0);
    }
}

void LatencySketch::add(double value, std::uint64_t count)
{
    if (count == 0 || std::isnan(value))
        return;
    if (m_count == 0) {
        m_min = m_max = value;
    } else {
        m_min = std::min(m_min, value);
        m_max = std::max(m_max, value);
    }
    m_count += count;
    if (value < kMinValue) {
        m_zeroCount += count;
        return;
    }
    const int index = indexOf(value);
    ensureIndex(index);
    m_buckets[static_cast<std::size_t>(index - m_offset)] += count;
}

void LatencySketch::merge(const LatencySketch &other)
{
    if (other.m_count == 0)
        return;
    if (m_count == 0) {
        *this = other;
        return;
    }
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
    m_count += other.m_count;
    m_zeroCount += other.m_zeroCount;
    if (other.m_buckets.empty())
        return;
    ensureIndex(other.m_offset);
    ensureIndex(other.m_offset + static_cast<int>(other.m_buckets.size()) - 1);
    const auto shift = static_cast<std::size_t>(other.m_offset - m_offset);
    for (std::size_t i = 0; i < other.m_buckets.size(); ++i)
        m_buckets[shift + i] += other.m_buckets[i];
}

void LatencySketch::clear()
{
    *this = LatencySketch();
}

std::optional<double> LatencySketch::quantile(double q) const
{
    if (m_count == 0)
        return std::nullopt;
    q = std::clamp(q, 0.0, 1.0);
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_count) - 1e-9)));
    if (rank >= m_count)
        return m_max;
    if (rank <= m_zeroCount)
        return m_min;
    std::uint64_t seen = m_zeroCount;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return std::clamp(valueOf(m_offset + static_cast<int>(i)), m_min, m_max);
    }
    return m_max;
}

std::string LatencySketch::encode() const
{
    std::string out;
    encodeTo(out);
    return out;
}

void LatencySketch::encodeTo(std::string &out) const
{
    out.clear();
    out += static_cast<char>(kFormatVersion);
    putVarint(out, m_count);
    if (m_count == 0)
        return;
    putDouble(out, m_min);
    putDouble(out, m_max);
    putVarint(out, m_zeroCount);
    std::size_t nonEmpty = 0;
    for (auto c : m_buckets)
        nonEmpty += c != 0;
    putVarint(out, nonEmpty);
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        if (!m_buckets[i])
            continue;
        const std::int64_t index = m_offset + static_cast<std::int64_t>(i);
        putVarint(out, zigzag(index - previous));
        putVarint(out, m_buckets[i]);
        previous = index;
    }
}

std::optional<LatencySketch> LatencySketch::decode(std::string_view bytes)
{
    LatencySketch sketch;
    if (!sketch.mergeEncoded(bytes))
        return std::nullopt;
    return sketch;
}

bool LatencySketch::mergeEncoded(std::string_view in)
{
    if (in.empty() || static_cast<unsigned char>(in.front()) != kFormatVersion)
        return false;
    in.remove_prefix(1);
    std::uint64_t count = 0;
    if (!getVarint(in, count))
        return false;
    if (count == 0)
        return in.empty();
    double mn = 0, mx = 0;
    std::uint64_t zeros = 0, nonEmpty = 0;
    if (!getDouble(in, mn) || !getDouble(in, mx) || !getVarint(in, zeros) ||
        !getVarint(in, nonEmpty) || nonEmpty > in.size())
        return false;
    // Decode into a scratch sketch first so damaged input changes nothing.
    LatencySketch part;
    part.m_count = count;
    part.m_min = mn;
    part.m_max = mx;
    part.m_zeroCount = zeros;
    std::uint64_t total = zeros;
    std::int64_t index = 0;
    std::vector<std::pair<int, std::uint64_t>> entries;
    entries.reserve(nonEmpty);
    for (std::uint64_t i = 0; i < nonEmpty; ++i) {
        std::uint64_t delta = 0, c = 0;
        if (!getVarint(in, delta) || !getVarint(in, c))
            return false;
        index += unzigzag(delta);
        if (index < -100000 || index > 100000 || (i > 0 && unzigzag(delta) <= 0))
            return false;
        entries.emplace_back(static_cast<int>(index), c);
        total += c;
    }
    if (!in.empty() || total != count)
        return false;
    if (!entries.empty()) {
        part.m_offset = entries.front().first;
        part.m_buckets.assign(static_cast<std::size_t>(entries.back().first - part.m_offset + 1), 0);
        for (const auto &[i, c] : entries)
            part.m_buckets[static_cast<std::size_t>(i - part.m_offset)] = c;
    }
    merge(part);
    return true;
}

} // namespace vigil
