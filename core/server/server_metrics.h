#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>

namespace vigil {

// Counters behind GET /metrics (Prometheus text format 0.0.4). Updated from
// the HTTP thread and the writer thread.
class ServerMetrics final
{
public:
    void recordsAccepted(std::int64_t n);
    void recordsDuplicate(std::int64_t n);
    void recordsRejected(const std::string &reason, std::int64_t n);
    void spansSkipped(std::int64_t n);
    void httpRequest(const QByteArray &path, int status, double seconds);

    struct Gauges
    {
        std::int64_t queueDepth = 0;
        std::int64_t storeSizeBytes = 0;
        std::int64_t lastIngestMs = 0;
        std::int64_t openConnections = 0;
    };
    QByteArray prometheusText(const Gauges &gauges) const;

    static QByteArray pathLabel(const QByteArray &path); // bounded cardinality

private:
    static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                        0.5,   1,    2.5,   5,    10};
    struct Histogram
    {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex m_mutex;
    std::int64_t m_accepted = 0;
    std::int64_t m_duplicates = 0;
    std::int64_t m_skipped = 0;
    std::map<std::string, std::int64_t> m_rejected;
    std::map<std::pair<QByteArray, int>, std::uint64_t> m_requests;
    std::map<QByteArray, Histogram> m_durations;
};

} // namespace vigil
