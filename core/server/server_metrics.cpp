#include "server/server_metrics.h"

namespace vigil {

void ServerMetrics::recordsAccepted(std::int64_t n)
{
    std::lock_guard lock(m_mutex);
    m_accepted += n;
}

void ServerMetrics::recordsDuplicate(std::int64_t n)
{
    std::lock_guard lock(m_mutex);
    m_duplicates += n;
}

void ServerMetrics::recordsRejected(const std::string &reason, std::int64_t n)
{
    std::lock_guard lock(m_mutex);
    m_rejected[reason] += n;
}

void ServerMetrics::spansSkipped(std::int64_t n)
{
    std::lock_guard lock(m_mutex);
    m_skipped += n;
}

QByteArray ServerMetrics::pathLabel(const QByteArray &path)
{
    for (const char *known : {"/v1/requests", "/v1/traces", "/healthz", "/metrics"}) {
        if (path == known)
            return path;
    }
    for (const char *prefix : {"/v1/prompts/", "/v1/budget/"}) {
        if (path.startsWith(prefix))
            return QByteArray(prefix) + "{name}";
    }
    return "other";
}

void ServerMetrics::httpRequest(const QByteArray &path, int status, double seconds)
{
    const QByteArray label = pathLabel(path);
    std::lock_guard lock(m_mutex);
    ++m_requests[{label, status}];
    Histogram &h = m_durations[label];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i])
            ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

QByteArray ServerMetrics::prometheusText(const Gauges &g) const
{
    std::lock_guard lock(m_mutex);
    QByteArray out;
    auto metric = [&](const char *name, const char *type, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    metric("vigil_records_accepted_total", "counter", "Records stored.");
    out += "vigil_records_accepted_total " + QByteArray::number(m_accepted) + '\n';
    metric("vigil_records_duplicate_total", "counter", "Records whose request_id was already stored.");
    out += "vigil_records_duplicate_total " + QByteArray::number(m_duplicates) + '\n';
    metric("vigil_records_rejected_total", "counter", "Records and spans refused, by reason.");
    for (const auto &[reason, n] : m_rejected)
        out += "vigil_records_rejected_total{reason=\"" + QByteArray::fromStdString(reason) + "\"} " +
               QByteArray::number(n) + '\n';
    metric("vigil_spans_skipped_total", "counter", "OTLP spans that are not LLM calls.");
    out += "vigil_spans_skipped_total " + QByteArray::number(m_skipped) + '\n';
    metric("vigil_http_requests_total", "counter", "HTTP requests by path and status.");
    for (const auto &[key, n] : m_requests)
        out += "vigil_http_requests_total{path=\"" + key.first + "\",status=\"" +
               QByteArray::number(key.second) + "\"} " + QByteArray::number(n) + '\n';
    metric("vigil_http_request_duration_seconds", "histogram", "HTTP request duration by path.");
    for (const auto &[path, h] : m_durations) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            out += "vigil_http_request_duration_seconds_bucket{path=\"" + path + "\",le=\"" +
                   QByteArray::number(kBuckets[i]) + "\"} " + QByteArray::number(h.buckets[i]) + '\n';
        out += "vigil_http_request_duration_seconds_bucket{path=\"" + path + "\",le=\"+Inf\"} " +
               QByteArray::number(h.count) + '\n';
        out += "vigil_http_request_duration_seconds_sum{path=\"" + path + "\"} " + QByteArray::number(h.sum, 'g', 12) + '\n';
        out += "vigil_http_request_duration_seconds_count{path=\"" + path + "\"} " + QByteArray::number(h.count) + '\n';
    }
    metric("vigil_write_queue_depth", "gauge", "Batches waiting for the writer.");
    out += "vigil_write_queue_depth " + QByteArray::number(g.queueDepth) + '\n';
    metric("vigil_store_size_bytes", "gauge", "Store file size, WAL included.");
    out += "vigil_store_size_bytes " + QByteArray::number(g.storeSizeBytes) + '\n';
    metric("vigil_last_ingest_timestamp_seconds", "gauge", "When records were last committed.");
    out += "vigil_last_ingest_timestamp_seconds " + QByteArray::number(static_cast<double>(g.lastIngestMs) / 1000.0, 'f', 3) + '\n';
    metric("vigil_http_open_connections", "gauge", "Open client connections.");
    out += "vigil_http_open_connections " + QByteArray::number(g.openConnections) + '\n';
    return out;
}

} // namespace vigil
