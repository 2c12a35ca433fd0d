#pragma once

#include "server/http_types.h"

namespace vigil {

class IngestService;
class PriceTable;

// POST /v1/requests: records as NDJSON (application/x-ndjson), a JSON array or
// one JSON object (application/json). Good records are stored, bad ones
// quarantined with the request as their source; the answer, sent after the
// commit, is {"accepted","duplicates","rejected","errors":[{"index","reason"}]}
// (first 100 errors; index = the record's 0-based position in the body,
// blank NDJSON lines not counted). All bad: 400 with the same shape.
class RequestsEndpoint final : public http::RequestHandler
{
public:
    RequestsEndpoint(IngestService &ingest, const PriceTable *prices);
    void handle(http::Request request, http::Responder respond) override;

private:
    IngestService &m_ingest;
    const PriceTable *m_prices;
};

// Shared by the ingest endpoints: the HTTP answer for a refused submission.
http::Response overloadResponse(int status, int retryAfterSeconds, const QString &message);

} // namespace vigil
