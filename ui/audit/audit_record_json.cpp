#include "audit/audit_record_json.h"

#include "record/timestamp.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace vigil::ui {

namespace {

void appendString(std::string &out, const std::string &s)
{
    static const char hexDigits[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hexDigits[c >> 4];
                out += hexDigits[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

std::string number(double v)
{
    // The shortest text that reads back as the same double.
    return QByteArray::number(v, 'g', QLocale::FloatingPointShortest).toStdString();
}

} // namespace

QJsonValue storedJsonValue(const std::string &json)
{
    if (json.empty())
        return QJsonValue();
    // Wrapped in an array so a bare string or number parses too.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + json + "]"));
    return doc.isArray() && doc.array().size() == 1 ? doc.array().first() : QJsonValue(QString::fromStdString(json));
}

std::string auditRecordJson(const Record &r)
{
    std::string out = "{";
    const auto key = [&out](const char *name) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
    };
    const auto text = [&](const char *name, const std::string &v, bool always = false) {
        if (v.empty() && !always)
            return;
        key(name);
        appendString(out, v);
    };
    const auto raw = [&](const char *name, const std::string &json) {
        if (json.empty())
            return;
        key(name);
        out += json;
    };
    text("ts", formatRfc3339Ms(r.tsMs), true);
    text("request_id", r.requestId, true);
    text("tenant", r.tenant, true);
    text("model", r.model, true);
    text("provider", r.provider);
    text("prompt_name", r.promptName);
    text("prompt_version", r.promptVersion);
    key("latency_ms");
    out += number(r.latencyMs);
    if (r.inputTokens) {
        key("input_tokens");
        out += std::to_string(*r.inputTokens);
    }
    if (r.outputTokens) {
        key("output_tokens");
        out += std::to_string(*r.outputTokens);
    }
    if (r.costUsd && r.costSource == CostSource::Reported) {
        key("cost_usd");
        out += number(*r.costUsd);
    }
    if (r.retrievalHits) {
        key("retrieval_hits");
        out += std::to_string(*r.retrievalHits);
    }
    text("outcome", std::string(outcomeName(r.outcome)), true);
    text("error_type", r.errorType);
    text("user", r.user);
    text("trace_id", r.traceId);
    text("session_id", r.sessionId);
    raw("input", r.inputJson);
    if (r.output) {
        key("output");
        appendString(out, *r.output);
    }
    raw("retrieval_context", r.retrievalContextJson);
    raw("action", r.actionJson);
    // The attributes are the fields the spec does not name: back at the top level.
    if (r.attributesJson.size() > 2 && r.attributesJson.front() == '{' && r.attributesJson.back() == '}') {
        out += ',';
        out.append(r.attributesJson, 1, r.attributesJson.size() - 2);
    }
    out += '}';
    return out;
}

QString auditRecordJsonText(const Record &record)
{
    return QString::fromStdString(auditRecordJson(record));
}

} // namespace vigil::ui
