#pragma once

#include "store/write_batch.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace vigil {

class ServerMetrics;
class WriteQueue;

// Bad records or spans one request may add to the quarantine one by one. Past
// this they are still counted (in the answer and the metrics) and summed up in
// one entry, so a body of garbage cannot cost memory and disk in proportion to
// its lines.
inline constexpr std::size_t kMaxQuarantinedPerRequest = 1000;

// The quarantine entry that stands for the bad records of a request past
// kMaxQuarantinedPerRequest.
QuarantineEntry quarantineOverflowEntry(const std::string &source, std::int64_t notKept);

// Hands parsed HTTP batches to the writer with backpressure. A request is
// answered only after its batch is committed (durable); when the queue or the
// memory budget is full it is refused at once (429), when the store fails
// (disk full, locked) it is refused with 503 — never half stored.
class IngestService final
{
public:
    struct Outcome
    {
        enum class Kind { Committed, Overloaded, StoreFailed };
        Kind kind = Kind::Committed;
        BatchResult result;
        QString error;
        int retryAfterSeconds = 0;
    };

    IngestService(WriteQueue &queue, ServerMetrics &metrics, qint64 maxPendingBytes = 512ll << 20);

    // `done` runs once, on the writer thread or (when refused) right here.
    // `rejectedByReason` counts every bad record for the metrics; when empty
    // they are counted from the batch's quarantine entries.
    void submit(WriteBatch batch, qint64 bytes, std::function<void(const Outcome &)> done,
                std::map<std::string, std::int64_t> rejectedByReason = {});

    std::size_t queueDepth() const;
    std::int64_t lastCommitMs() const;
    bool lastCommitFailed() const { return m_lastFailed.load(); }
    QString lastError() const;
    const std::string &storePath() const;

private:
    WriteQueue &m_queue;
    ServerMetrics &m_metrics;
    qint64 m_maxPendingBytes;
    std::atomic<qint64> m_pendingBytes{0};
    std::atomic<bool> m_lastFailed{false};
    mutable std::mutex m_errorMutex;
    QString m_lastError;
};

} // namespace vigil
