#include "server/requests_endpoint.h"

#include "record/record_parser.h"
#include "server/ingest_service.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace vigil {

namespace {

constexpr int kMaxReportedErrors = 100;

bool isNdjsonType(const QByteArray &type)
{
    return type == "application/x-ndjson" || type == "application/ndjson" ||
           type == "application/jsonl" || type == "application/x-jsonlines" ||
           type == "application/jsonlines" || type == "text/plain";
}

struct Parsed
{
    std::vector<Record> records;
    // The first kMaxQuarantinedPerRequest bad records: index, why, raw text.
    std::vector<std::pair<int, ParseError>> errors;
    std::vector<std::string> raw;
    std::map<std::string, std::int64_t> reasons; // every bad record, by reason
    std::int64_t rejected = 0;
    int total = 0;

    void reject(int index, ParseError error, std::string_view rawText)
    {
        ++rejected;
        ++reasons[error.reason];
        if (errors.size() >= kMaxQuarantinedPerRequest)
            return;
        errors.emplace_back(index, std::move(error));
        raw.emplace_back(rawText.substr(0, QuarantineEntry::kRawPrefixLimit));
    }
};

void parseNdjson(const QByteArray &body, RecordParser &parser, Parsed &out)
{
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        std::string_view line(body.constData() + start, static_cast<std::size_t>(end - start));
        start = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        const int index = out.total++;
        Record record;
        ParseError error;
        if (parser.parseText(line, record, error))
            out.records.push_back(std::move(record));
        else
            out.reject(index, std::move(error), line);
    }
}

void parseJson(const QByteArray &body, RecordParser &parser, Parsed &out)
{
    parser.parseJsonBody(std::string_view(body.constData(), static_cast<std::size_t>(body.size())),
                         [&out](ParseResult &&result) {
                             const int index = out.total++;
                             if (auto *record = std::get_if<Record>(&result))
                                 out.records.push_back(std::move(*record));
                             else
                                 out.reject(index, std::move(std::get<ParseError>(result)), {});
                         });
}

} // namespace

http::Response overloadResponse(int status, int retryAfterSeconds, const QString &message)
{
    return http::Response::error(status, message)
        .withHeader("retry-after", QByteArray::number(retryAfterSeconds));
}

RequestsEndpoint::RequestsEndpoint(IngestService &ingest, const PriceTable *prices)
    : m_ingest(ingest), m_prices(prices)
{
}

void RequestsEndpoint::handle(http::Request request, http::Responder respond)
{
    const QByteArray type = request.contentType();
    bool ndjson = isNdjsonType(type);
    const bool json = type == "application/json";
    if (type.isEmpty()) {
        // No Content-Type: decide by the first character.
        const QByteArray trimmed = request.body.trimmed();
        ndjson = !trimmed.startsWith('[');
    } else if (!ndjson && !json) {
        respond(http::Response::error(415, QStringLiteral("Content-Type \"%1\" is not supported: send "
                                                          "application/x-ndjson or application/json")
                                               .arg(QString::fromLatin1(type))));
        return;
    }
    if (request.body.trimmed().isEmpty()) {
        respond(http::Response::error(400, QStringLiteral("the request body is empty")));
        return;
    }

    RecordParser parser(m_prices);
    if (request.boundTenant)
        parser.setDefaultTenant(request.boundTenant->toStdString());
    Parsed parsed;
    if (ndjson)
        parseNdjson(request.body, parser, parsed);
    else
        parseJson(request.body, parser, parsed);

    // A token bound to a tenant may only send that tenant's records.
    if (request.boundTenant) {
        const std::string bound = request.boundTenant->toStdString();
        for (const Record &r : parsed.records) {
            if (r.tenant != bound) {
                respond(http::Response::error(403, QStringLiteral("this token may only send records of tenant "
                                                                  "\"%1\", not \"%2\"")
                                                       .arg(*request.boundTenant, QString::fromStdString(r.tenant))));
                return;
            }
        }
    }

    WriteBatch batch;
    batch.source = request.describe().toStdString();
    const std::size_t accepted = parsed.records.size();
    batch.records = std::move(parsed.records);
    QJsonArray errors;
    for (std::size_t i = 0; i < parsed.errors.size(); ++i) {
        const auto &[index, error] = parsed.errors[i];
        if (errors.size() < kMaxReportedErrors)
            errors.append(QJsonObject{{QStringLiteral("index"), index},
                                      {QStringLiteral("reason"), QString::fromStdString(error.message())}});
        QuarantineEntry q;
        q.source = batch.source;
        q.line = index + 1;
        q.error = error;
        q.rawPrefix = parsed.raw[i];
        q.rawSize = static_cast<std::int64_t>(q.rawPrefix.size());
        batch.quarantined.push_back(std::move(q));
    }
    if (parsed.rejected > static_cast<std::int64_t>(parsed.errors.size()))
        batch.quarantined.push_back(quarantineOverflowEntry(
            batch.source, parsed.rejected - static_cast<std::int64_t>(parsed.errors.size())));
    const auto rejected = static_cast<qint64>(parsed.rejected);
    const QString tenant = request.boundTenant.value_or(QString());
    m_ingest.submit(std::move(batch), request.body.size(),
                    [respond, errors, rejected, accepted, tenant](const IngestService::Outcome &o) {
                        if (o.kind == IngestService::Outcome::Kind::Overloaded) {
                            respond(overloadResponse(429, o.retryAfterSeconds, o.error));
                            return;
                        }
                        if (o.kind == IngestService::Outcome::Kind::StoreFailed) {
                            respond(overloadResponse(503, o.retryAfterSeconds,
                                                     QStringLiteral("the store cannot take the records now: %1").arg(o.error)));
                            return;
                        }
                        const QJsonObject body{{QStringLiteral("accepted"), static_cast<qint64>(o.result.accepted)},
                                               {QStringLiteral("duplicates"), static_cast<qint64>(o.result.duplicates)},
                                               {QStringLiteral("rejected"), rejected},
                                               {QStringLiteral("errors"), errors}};
                        http::Response response = http::Response::json(
                            accepted == 0 ? 400 : 200, QJsonDocument(body).toJson(QJsonDocument::Compact));
                        response.logTenant = tenant;
                        respond(std::move(response));
                    },
                    std::move(parsed.reasons));
}

} // namespace vigil
