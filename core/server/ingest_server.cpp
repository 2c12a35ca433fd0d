#include "server/ingest_server.h"

#include "alerts/alert_service.h"
#include "server/background_maintenance.h"
#include "server/budget_endpoint.h"
#include "server/ingest_service.h"
#include "server/prompts_endpoint.h"
#include "server/requests_endpoint.h"
#include "server/router.h"
#include "server/server_metrics.h"
#include "server/status_endpoints.h"
#include "server/token_store.h"
#include "server/traces_endpoint.h"
#include "store/write_queue.h"

namespace vigil {

namespace {
WriteQueue::Options queueOptions(std::size_t batches)
{
    WriteQueue::Options o;
    o.capacity = batches;
    return o;
}
} // namespace

// Declared in the order they must be built (and destroyed in reverse).
struct IngestServer::Parts
{
    WriteQueue queue;
    ServerMetrics metrics;
    IngestService ingest;
    TokenStore tokens;
    RequestsEndpoint requests;
    TracesEndpoint traces;
    HealthEndpoint health;
    PromptsEndpoint prompts;
    BudgetEndpoint budget;
    http::Router router;
    http::AuthGate gate;
    http::Server server;
    MetricsEndpoint metricsEndpoint;

    Parts(Options &o, QObject *owner)
        : queue(o.storePath, queueOptions(o.queueBatches)), ingest(queue, metrics, o.maxPendingBytes),
          tokens(std::move(o.tokens), o.tokenFile), requests(ingest, o.prices),
          traces(ingest, metrics, o.prices), health(ingest),
          prompts({o.storePath, o.promptsRepository, o.promptsFolder}),
          budget({o.storePath, o.alerts ? o.alerts->config.costs : CostCaps(), o.alerts ? o.alerts->costsFrom : std::string()}),
          gate(router, tokens),
          server(gate, o.http, owner),
          metricsEndpoint(ingest, metrics, [this] { return server.openConnections(); })
    {
        router.add("POST", "/v1/requests", requests);
        router.add("POST", "/v1/traces", traces);
        router.add("GET", "/healthz", health);
        router.add("GET", "/metrics", metricsEndpoint);
        router.add("GET", PromptsEndpoint::kPathPrefix, prompts, true);
        router.add("GET", BudgetEndpoint::kPathPrefix, budget, true);
    }

    std::unique_ptr<AlertService> alerting; // stops before the queue it watches
    std::unique_ptr<BackgroundMaintenance> maintenance;
};

IngestServer::IngestServer(Options options, QObject *parent)
    : QObject(parent), m_parts(std::make_unique<Parts>(options, this))
{
    if (!options.tokenFile.isEmpty())
        m_tokenFileError = m_parts->tokens.reload();
    if (options.redactor)
        m_parts->queue.setRedactor(options.redactor);
    if (options.maintenance) {
        BackgroundMaintenance::Options m;
        m.storePath = options.storePath;
        m.retention = options.retention;
        m.lastCommitMs = [q = &m_parts->queue] { return q->lastCommitMs(); };
        // From the maintenance thread to this object's: whoever logs does so
        // on one thread (queued calls die with the object).
        m.log = [this](const std::string &line) {
            QMetaObject::invokeMethod(
                this, [this, text = QString::fromStdString(line)] { Q_EMIT maintenanceEvent(text); },
                Qt::QueuedConnection);
        };
        m_parts->maintenance = std::make_unique<BackgroundMaintenance>(std::move(m));
    }
    if (options.alerts) {
        AlertService::Options a{options.storePath, options.alerts->config, options.alerts->costsFrom,
                                options.alerts->regression, [q = &m_parts->queue] { return q->lastCommitMs(); }, true, {}};
        m_parts->alerting = std::make_unique<AlertService>(std::move(a));
        m_parts->alerting->start();
    }
    connect(&m_parts->server, &http::Server::requestServed, this,
            [this](const http::AccessLogEntry &e) {
                m_parts->metrics.httpRequest(e.path, e.status, e.ms / 1000.0);
                Q_EMIT requestServed(e);
            });
}

IngestServer::~IngestServer() = default;

AlertService *IngestServer::alerting() const
{
    return m_parts->alerting.get();
}

bool IngestServer::listen(QString &error)
{
    return m_parts->server.listen(error);
}

quint16 IngestServer::port() const
{
    return m_parts->server.port();
}

bool IngestServer::hasTokens()
{
    return m_parts->tokens.hasTokens();
}

void IngestServer::shutdown(std::function<void()> done)
{
    m_parts->server.shutdown(std::move(done));
}

} // namespace vigil
