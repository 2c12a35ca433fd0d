#pragma once

#include "server/http_types.h"

#include <functional>

namespace vigil {

class IngestService;
class ServerMetrics;

// GET /healthz: {"status","store","store_writable","queue_depth","last_commit",
// "last_error"}; 200 when the store takes writes, 503 when the last commit failed.
class HealthEndpoint final : public http::RequestHandler
{
public:
    explicit HealthEndpoint(IngestService &ingest) : m_ingest(ingest) {}
    void handle(http::Request request, http::Responder respond) override;

private:
    IngestService &m_ingest;
};

// GET /metrics: Prometheus text format.
class MetricsEndpoint final : public http::RequestHandler
{
public:
    MetricsEndpoint(IngestService &ingest, ServerMetrics &metrics, std::function<int()> openConnections)
        : m_ingest(ingest), m_metrics(metrics), m_openConnections(std::move(openConnections))
    {
    }
    void handle(http::Request request, http::Responder respond) override;

private:
    IngestService &m_ingest;
    ServerMetrics &m_metrics;
    std::function<int()> m_openConnections;
};

} // namespace vigil
