#pragma once

#include "store/write_batch.h"

#include <QString>

#include <atomic>
#include <mutex>
#include <functional>

namespace vigil {

class ServerMetrics;
class WriteQueue;

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
    void submit(WriteBatch batch, qint64 bytes, std::function<void(const Outcome &)> done);

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
