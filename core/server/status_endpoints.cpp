#include "server/status_endpoints.h"

#include "record/timestamp.h"
#include "server/ingest_service.h"
#include "server/server_metrics.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace vigil {

namespace {
qint64 storeSize(const std::string &path)
{
    const QString p = QString::fromStdString(path);
    return QFileInfo(p).size() + QFileInfo(p + QStringLiteral("-wal")).size();
}
} // namespace

void HealthEndpoint::handle(http::Request, http::Responder respond)
{
    const std::string &path = m_ingest.storePath();
    const bool fileWritable = ::access(path.c_str(), W_OK) == 0;
    const bool writable = fileWritable && !m_ingest.lastCommitFailed();
    const std::int64_t last = m_ingest.lastCommitMs();
    QJsonObject body{{QStringLiteral("status"), writable ? QStringLiteral("ok") : QStringLiteral("degraded")},
                     {QStringLiteral("store"), QString::fromStdString(path)},
                     {QStringLiteral("store_writable"), writable},
                     {QStringLiteral("queue_depth"), static_cast<qint64>(m_ingest.queueDepth())},
                     {QStringLiteral("last_commit"),
                      last ? QJsonValue(QString::fromStdString(formatRfc3339Ms(last))) : QJsonValue()}};
    if (m_ingest.lastCommitFailed())
        body.insert(QStringLiteral("last_error"), m_ingest.lastError());
    respond(http::Response::json(writable ? 200 : 503, QJsonDocument(body).toJson(QJsonDocument::Compact)));
}

void MetricsEndpoint::handle(http::Request, http::Responder respond)
{
    ServerMetrics::Gauges g;
    g.queueDepth = static_cast<std::int64_t>(m_ingest.queueDepth());
    g.storeSizeBytes = storeSize(m_ingest.storePath());
    g.lastIngestMs = m_ingest.lastCommitMs();
    g.openConnections = m_openConnections ? m_openConnections() : 0;
    http::Response r = http::Response::text(200, m_metrics.prometheusText(g));
    r.headers.clear();
    r.headers.emplace_back("content-type", "text/plain; version=0.0.4; charset=utf-8");
    respond(std::move(r));
}

} // namespace vigil
