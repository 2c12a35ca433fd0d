#include "server/ingest_service.h"

#include "server/server_metrics.h"
#include "store/write_queue.h"

namespace vigil {

QuarantineEntry quarantineOverflowEntry(const std::string &source, std::int64_t notKept)
{
    QuarantineEntry q;
    q.source = source;
    q.error.reason = "too_many_errors";
    q.error.detail = std::to_string(notKept) + " more bad records in this request were counted but not kept (the first " +
                     std::to_string(kMaxQuarantinedPerRequest) + " are)";
    return q;
}

IngestService::IngestService(WriteQueue &queue, ServerMetrics &metrics, qint64 maxPendingBytes)
    : m_queue(queue), m_metrics(metrics), m_maxPendingBytes(maxPendingBytes)
{
}

void IngestService::submit(WriteBatch batch, qint64 bytes, std::function<void(const Outcome &)> done,
                           std::map<std::string, std::int64_t> rejectedByReason)
{
    if (m_pendingBytes.fetch_add(bytes) + bytes > m_maxPendingBytes && m_pendingBytes.load() > bytes) {
        m_pendingBytes.fetch_sub(bytes);
        Outcome o;
        o.kind = Outcome::Kind::Overloaded;
        o.error = QStringLiteral("the write queue is full; retry later");
        o.retryAfterSeconds = 1;
        done(o);
        return;
    }
    std::map<std::string, std::int64_t> reasons = std::move(rejectedByReason);
    if (reasons.empty()) {
        for (const QuarantineEntry &q : batch.quarantined)
            ++reasons[q.error.reason];
    }
    BatchCallback callback = [this, bytes, done, reasons](const BatchOutcome &outcome) {
        m_pendingBytes.fetch_sub(bytes);
        Outcome o;
        if (outcome.ok()) {
            o.result = *outcome.result;
            m_lastFailed = false;
            m_metrics.recordsAccepted(o.result.accepted);
            m_metrics.recordsDuplicate(o.result.duplicates);
            for (const auto &[reason, n] : reasons)
                m_metrics.recordsRejected(reason, n);
        } else {
            o.kind = Outcome::Kind::StoreFailed;
            o.error = QString::fromUtf8(outcome.error->what());
            o.retryAfterSeconds = outcome.error->kind() == StoreErrorKind::Locked ? 5 : 30;
            m_lastFailed = true;
            std::lock_guard lock(m_errorMutex);
            m_lastError = o.error;
        }
        done(o);
    };
    // Never wait here: this is the HTTP thread, and a full queue means the
    // client should back off (429 + Retry-After), which OTLP exporters do.
    if (!m_queue.trySubmitGrouped(batch, callback, std::chrono::milliseconds(0))) {
        m_pendingBytes.fetch_sub(bytes);
        Outcome o;
        o.kind = Outcome::Kind::Overloaded;
        o.error = QStringLiteral("the write queue is full; retry later");
        o.retryAfterSeconds = 1;
        done(o);
    }
}

std::size_t IngestService::queueDepth() const
{
    return m_queue.depth();
}

std::int64_t IngestService::lastCommitMs() const
{
    return m_queue.lastCommitMs();
}

QString IngestService::lastError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

const std::string &IngestService::storePath() const
{
    return m_queue.storePath();
}

} // namespace vigil
