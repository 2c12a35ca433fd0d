#pragma once

#include "server/http_types.h"

namespace vigil {

class IngestService;
class PriceTable;
class ServerMetrics;

// POST /v1/traces: OTLP/HTTP trace export, protobuf (application/x-protobuf)
// or JSON (application/json). LLM spans become records (SpanMapper); other
// spans are skipped, not rejected. Answers an ExportTraceServiceResponse in
// the request's encoding, with partial_success when spans were rejected,
// after the records are committed.
class TracesEndpoint final : public http::RequestHandler
{
public:
    TracesEndpoint(IngestService &ingest, ServerMetrics &metrics, const PriceTable *prices);
    void handle(http::Request request, http::Responder respond) override;

private:
    IngestService &m_ingest;
    ServerMetrics &m_metrics;
    const PriceTable *m_prices;
};

} // namespace vigil
