#include "qjson_record_parser.h"

#include "record/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::bench {

bool parseWithQJson(std::string_view line, Record &out)
{
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), static_cast<qsizetype>(line.size())), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    out = Record();
    const QJsonValue ts = o.value(QLatin1String("ts"));
    if (ts.isString()) {
        const auto ms = parseRfc3339Ms(ts.toString().toStdString());
        if (!ms)
            return false;
        out.tsMs = *ms;
    } else if (ts.isDouble()) {
        out.tsMs = static_cast<std::int64_t>(ts.toDouble());
    } else {
        return false;
    }
    auto str = [&](const char *key, std::string &field) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            field = v.toString().toStdString();
        return v.isString();
    };
    if (!str("request_id", out.requestId) || !str("tenant", out.tenant) || !str("model", out.model))
        return false;
    out.latencyMs = o.value(QLatin1String("latency_ms")).toDouble(-1);
    if (out.latencyMs < 0)
        return false;
    std::string outcome;
    if (!str("outcome", outcome))
        return false;
    const auto parsedOutcome = outcomeFromName(outcome);
    if (!parsedOutcome)
        return false;
    out.outcome = *parsedOutcome;
    str("provider", out.provider);
    str("prompt_name", out.promptName);
    str("prompt_version", out.promptVersion);
    str("error_type", out.errorType);
    str("user", out.user);
    str("trace_id", out.traceId);
    str("session_id", out.sessionId);
    if (o.contains(QLatin1String("input_tokens")))
        out.inputTokens = o.value(QLatin1String("input_tokens")).toInteger();
    if (o.contains(QLatin1String("output_tokens")))
        out.outputTokens = o.value(QLatin1String("output_tokens")).toInteger();
    if (o.contains(QLatin1String("cost_usd")))
        out.costUsd = o.value(QLatin1String("cost_usd")).toDouble();
    if (o.contains(QLatin1String("retrieval_hits")))
        out.retrievalHits = o.value(QLatin1String("retrieval_hits")).toInteger();
    auto json = [](const QJsonValue &v) {
        if (v.isObject())
            return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString();
        if (v.isArray())
            return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString();
        if (v.isString()) {
            const QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
            return a.mid(1, a.size() - 2).toStdString();
        }
        return std::string();
    };
    out.inputJson = json(o.value(QLatin1String("input")));
    str("output", *(out.output = std::string()));
    out.retrievalContextJson = json(o.value(QLatin1String("retrieval_context")));
    out.actionJson = json(o.value(QLatin1String("action")));
    QJsonObject attributes;
    static const QStringList known = {
        QStringLiteral("ts"), QStringLiteral("request_id"), QStringLiteral("tenant"), QStringLiteral("model"),
        QStringLiteral("latency_ms"), QStringLiteral("outcome"), QStringLiteral("provider"),
        QStringLiteral("prompt_name"), QStringLiteral("prompt_version"), QStringLiteral("input_tokens"),
        QStringLiteral("output_tokens"), QStringLiteral("cost_usd"), QStringLiteral("retrieval_hits"),
        QStringLiteral("error_type"), QStringLiteral("user"), QStringLiteral("trace_id"),
        QStringLiteral("session_id"), QStringLiteral("input"), QStringLiteral("output"),
        QStringLiteral("retrieval_context"), QStringLiteral("action")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            attributes.insert(it.key(), it.value());
    }
    if (!attributes.isEmpty())
        out.attributesJson = QJsonDocument(attributes).toJson(QJsonDocument::Compact).toStdString();
    return true;
}

} // namespace vigil::bench
