#include "server/traces_endpoint.h"

#include "server/ingest_service.h"
#include "server/otlp/otlp_json.h"
#include "server/otlp/otlp_protobuf.h"
#include "server/otlp/span_mapper.h"
#include "server/requests_endpoint.h"
#include "server/server_metrics.h"

#include <map>

namespace vigil {

namespace {

constexpr int kGrpcInvalidArgument = 3;
constexpr int kGrpcPermissionDenied = 7;
constexpr int kGrpcUnavailable = 14;
constexpr int kGrpcResourceExhausted = 8;

http::Response otlpResponse(bool protobuf, int status, const std::string &body)
{
    http::Response r;
    r.status = status;
    r.body = QByteArray::fromStdString(body);
    r.headers.emplace_back("content-type", protobuf ? "application/x-protobuf" : "application/json");
    return r;
}

http::Response otlpError(bool protobuf, int status, int grpcCode, const std::string &message)
{
    return otlpResponse(protobuf, status,
                        protobuf ? otlp::encodeStatusProtobuf(grpcCode, message)
                                 : otlp::encodeStatusJson(grpcCode, message));
}

} // namespace

TracesEndpoint::TracesEndpoint(IngestService &ingest, ServerMetrics &metrics, const PriceTable *prices)
    : m_ingest(ingest), m_metrics(metrics), m_prices(prices)
{
}

void TracesEndpoint::handle(http::Request request, http::Responder respond)
{
    const QByteArray type = request.contentType();
    const bool protobuf = type == "application/x-protobuf" || type == "application/protobuf";
    if (!protobuf && type != "application/json") {
        respond(http::Response::error(415, QStringLiteral("Content-Type \"%1\" is not supported: send "
                                                          "application/x-protobuf or application/json")
                                               .arg(QString::fromLatin1(type))));
        return;
    }
    otlp::TraceExport exported;
    std::string error;
    bool tooLarge = false;
    const std::string_view body(request.body.constData(), static_cast<std::size_t>(request.body.size()));
    const bool ok = protobuf ? otlp::decodeTraceExportProtobuf(body, exported, error, &tooLarge)
                             : otlp::decodeTraceExportJson(body, exported, error, &tooLarge);
    if (!ok && tooLarge) {
        m_metrics.recordsRejected("too_large", 1);
        respond(otlpError(protobuf, 413, kGrpcResourceExhausted, error));
        return;
    }
    if (!ok) {
        m_metrics.recordsRejected("invalid_otlp", 1);
        respond(otlpError(protobuf, 400, kGrpcInvalidArgument, error));
        return;
    }

    otlp::SpanMapper::Options options;
    options.prices = m_prices;
    if (request.boundTenant)
        options.boundTenant = request.boundTenant->toStdString();
    otlp::SpanMapper::Result mapped = otlp::SpanMapper(options).map(exported);
    if (!mapped.foreignTenants.empty()) {
        respond(otlpError(protobuf, 403, kGrpcPermissionDenied,
                          "this token may only send spans of tenant \"" + *options.boundTenant +
                              "\", not \"" + mapped.foreignTenants.front() + "\""));
        return;
    }
    m_metrics.spansSkipped(static_cast<std::int64_t>(mapped.skipped));

    WriteBatch batch;
    batch.source = request.describe().toStdString();
    batch.records = std::move(mapped.records);
    std::string errorMessage;
    std::map<std::string, std::int64_t> reasons;
    for (const auto &[reason, spanId] : mapped.rejected) {
        ++reasons[reason.reason];
        if (batch.quarantined.size() >= kMaxQuarantinedPerRequest)
            continue;
        QuarantineEntry q;
        q.source = batch.source;
        q.error = reason;
        q.rawPrefix = "span " + spanId;
        q.rawSize = static_cast<std::int64_t>(q.rawPrefix.size());
        batch.quarantined.push_back(std::move(q));
        if (errorMessage.size() < 900)
            errorMessage += (errorMessage.empty() ? "" : "; ") + reason.message();
    }
    const auto rejected = static_cast<std::int64_t>(mapped.rejected.size());
    if (rejected > static_cast<std::int64_t>(batch.quarantined.size()))
        batch.quarantined.push_back(
            quarantineOverflowEntry(batch.source, rejected - static_cast<std::int64_t>(batch.quarantined.size())));
    if (batch.records.empty() && batch.quarantined.empty()) {
        // Nothing to store (no LLM spans): still a success for the exporter.
        respond(otlpResponse(protobuf, 200,
                             protobuf ? otlp::encodeExportResponseProtobuf(0, {}) : otlp::encodeExportResponseJson(0, {})));
        return;
    }
    const QString tenant = request.boundTenant.value_or(QString());
    m_ingest.submit(std::move(batch), request.body.size(),
                    [respond, protobuf, rejected, errorMessage, tenant](const IngestService::Outcome &o) {
                        if (o.kind == IngestService::Outcome::Kind::Overloaded) {
                            http::Response r = otlpError(protobuf, 429, kGrpcResourceExhausted, o.error.toStdString());
                            r.withHeader("retry-after", QByteArray::number(o.retryAfterSeconds));
                            respond(std::move(r));
                            return;
                        }
                        if (o.kind == IngestService::Outcome::Kind::StoreFailed) {
                            http::Response r = otlpError(protobuf, 503, kGrpcUnavailable,
                                                         "the store cannot take the spans now: " + o.error.toStdString());
                            r.withHeader("retry-after", QByteArray::number(o.retryAfterSeconds));
                            respond(std::move(r));
                            return;
                        }
                        http::Response r = otlpResponse(
                            protobuf, 200,
                            protobuf ? otlp::encodeExportResponseProtobuf(rejected, errorMessage)
                                     : otlp::encodeExportResponseJson(rejected, errorMessage));
                        r.logTenant = tenant;
                        respond(std::move(r));
                    },
                    std::move(reasons));
}

} // namespace vigil
