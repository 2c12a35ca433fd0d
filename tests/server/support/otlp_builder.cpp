#include "otlp_builder.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>
#include <cstring>

namespace vigil::test::otlp {

namespace {

// --- protobuf wire format ---------------------------------------------------

void varint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void tag(std::string &out, std::uint32_t field, std::uint32_t wireType)
{
    varint(out, (static_cast<std::uint64_t>(field) << 3) | wireType);
}

void lengthDelimited(std::string &out, std::uint32_t field, const std::string &bytes)
{
    tag(out, field, 2);
    varint(out, bytes.size());
    out += bytes;
}

void fixed64(std::string &out, std::uint32_t field, std::uint64_t v)
{
    tag(out, field, 1);
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void varintField(std::string &out, std::uint32_t field, std::uint64_t v)
{
    tag(out, field, 0);
    varint(out, v);
}

std::string hexToBytes(const std::string &hex)
{
    return QByteArray::fromHex(QByteArray::fromStdString(hex)).toStdString();
}

std::string encodeKeyValue(const std::string &key, const Value &value);

// common/v1 AnyValue
std::string encodeAnyValue(const Value &value)
{
    std::string out;
    if (const auto *s = std::get_if<std::string>(&value.v)) {
        lengthDelimited(out, 1, *s);
    } else if (const auto *b = std::get_if<bool>(&value.v)) {
        varintField(out, 2, *b ? 1 : 0);
    } else if (const auto *i = std::get_if<std::int64_t>(&value.v)) {
        varintField(out, 3, static_cast<std::uint64_t>(*i));
    } else if (const auto *d = std::get_if<double>(&value.v)) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, d, sizeof bits);
        fixed64(out, 4, bits);
    } else if (const auto *a = std::get_if<Value::Array>(&value.v)) {
        std::string array;
        for (const Value &item : a->values)
            lengthDelimited(array, 1, encodeAnyValue(item));
        lengthDelimited(out, 5, array);
    } else if (const auto *k = std::get_if<Value::KvList>(&value.v)) {
        std::string list;
        for (const auto &[key, item] : k->values)
            lengthDelimited(list, 1, encodeKeyValue(key, item));
        lengthDelimited(out, 6, list);
    }
    return out;
}

std::string encodeKeyValue(const std::string &key, const Value &value)
{
    std::string out;
    lengthDelimited(out, 1, key);
    lengthDelimited(out, 2, encodeAnyValue(value));
    return out;
}

std::string encodeSpan(const Span &s)
{
    std::string out;
    lengthDelimited(out, 1, hexToBytes(s.traceId));
    if (!s.spanId.empty())
        lengthDelimited(out, 2, hexToBytes(s.spanId));
    if (!s.parentSpanId.empty())
        lengthDelimited(out, 4, hexToBytes(s.parentSpanId));
    lengthDelimited(out, 5, s.name);
    varintField(out, 6, static_cast<std::uint64_t>(s.kind));
    fixed64(out, 7, s.startTimeUnixNano);
    fixed64(out, 8, s.endTimeUnixNano);
    for (const auto &[key, value] : s.attributes)
        lengthDelimited(out, 9, encodeKeyValue(key, value));
    for (const Event &e : s.events) {
        std::string event;
        fixed64(event, 1, e.timeUnixNano);
        lengthDelimited(event, 2, e.name);
        for (const auto &[key, value] : e.attributes)
            lengthDelimited(event, 3, encodeKeyValue(key, value));
        lengthDelimited(out, 11, event);
    }
    if (s.statusCode || !s.statusMessage.empty()) {
        std::string status;
        if (!s.statusMessage.empty())
            lengthDelimited(status, 2, s.statusMessage);
        varintField(status, 3, static_cast<std::uint64_t>(s.statusCode));
        lengthDelimited(out, 15, status);
    }
    return out;
}

// --- JSON mapping -----------------------------------------------------------

std::string quote(const std::string &s)
{
    const QByteArray doc = QJsonDocument(QJsonObject{{QStringLiteral("s"), QString::fromStdString(s)}})
                               .toJson(QJsonDocument::Compact);
    return doc.mid(5, doc.size() - 6).toStdString(); // {"s": ... }
}

std::string jsonKeyValues(const KeyValues &values);

std::string jsonAnyValue(const Value &value)
{
    if (const auto *s = std::get_if<std::string>(&value.v))
        return "{\"stringValue\":" + quote(*s) + "}";
    if (const auto *b = std::get_if<bool>(&value.v))
        return std::string("{\"boolValue\":") + (*b ? "true" : "false") + "}";
    if (const auto *i = std::get_if<std::int64_t>(&value.v))
        return "{\"intValue\":\"" + std::to_string(*i) + "\"}";
    if (const auto *d = std::get_if<double>(&value.v)) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "%.17g", *d);
        return std::string("{\"doubleValue\":") + buffer + "}";
    }
    if (const auto *a = std::get_if<Value::Array>(&value.v)) {
        std::string out = "{\"arrayValue\":{\"values\":[";
        for (std::size_t i = 0; i < a->values.size(); ++i)
            out += (i ? "," : "") + jsonAnyValue(a->values[i]);
        return out + "]}}";
    }
    const auto &k = std::get<Value::KvList>(value.v);
    return "{\"kvlistValue\":{\"values\":" + jsonKeyValues(k.values) + "}}";
}

std::string jsonKeyValues(const KeyValues &values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? "," : "") + std::string("{\"key\":") + quote(values[i].first) +
               ",\"value\":" + jsonAnyValue(values[i].second) + "}";
    return out + "]";
}

std::string jsonSpan(const Span &s)
{
    std::string out = "{\"traceId\":" + quote(s.traceId) + ",\"spanId\":" + quote(s.spanId);
    if (!s.parentSpanId.empty())
        out += ",\"parentSpanId\":" + quote(s.parentSpanId);
    out += ",\"name\":" + quote(s.name) + ",\"kind\":" + std::to_string(s.kind) +
           ",\"startTimeUnixNano\":\"" + std::to_string(s.startTimeUnixNano) +
           "\",\"endTimeUnixNano\":\"" + std::to_string(s.endTimeUnixNano) +
           "\",\"attributes\":" + jsonKeyValues(s.attributes) + ",\"droppedAttributesCount\":0";
    out += ",\"events\":[";
    for (std::size_t i = 0; i < s.events.size(); ++i) {
        const Event &e = s.events[i];
        out += (i ? "," : "") + std::string("{\"timeUnixNano\":\"") + std::to_string(e.timeUnixNano) +
               "\",\"name\":" + quote(e.name) + ",\"attributes\":" + jsonKeyValues(e.attributes) + "}";
    }
    out += "],\"status\":{\"code\":" + std::to_string(s.statusCode);
    if (!s.statusMessage.empty())
        out += ",\"message\":" + quote(s.statusMessage);
    return out + "}}";
}

} // namespace

std::string toProtobuf(const Export &e)
{
    std::string resource;
    for (const auto &[key, value] : e.resourceAttributes)
        lengthDelimited(resource, 1, encodeKeyValue(key, value));
    std::string scope;
    lengthDelimited(scope, 1, e.scopeName);
    lengthDelimited(scope, 2, e.scopeVersion);
    std::string scopeSpans;
    lengthDelimited(scopeSpans, 1, scope);
    for (const Span &s : e.spans)
        lengthDelimited(scopeSpans, 2, encodeSpan(s));
    std::string resourceSpans;
    lengthDelimited(resourceSpans, 1, resource);
    lengthDelimited(resourceSpans, 2, scopeSpans);
    std::string request;
    lengthDelimited(request, 1, resourceSpans);
    return request;
}

std::string toJson(const Export &e)
{
    std::string spans;
    for (std::size_t i = 0; i < e.spans.size(); ++i)
        spans += (i ? "," : "") + jsonSpan(e.spans[i]);
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":" + jsonKeyValues(e.resourceAttributes) +
           "},\"scopeSpans\":[{\"scope\":{\"name\":" + quote(e.scopeName) + ",\"version\":" +
           quote(e.scopeVersion) + "},\"spans\":[" + spans + "]}]}]}";
}

Span span(const std::string &spanId, std::int64_t startMs, double latencyMs, KeyValues attributes)
{
    Span s;
    s.spanId = spanId;
    s.startTimeUnixNano = static_cast<std::uint64_t>(startMs) * 1'000'000ull;
    s.endTimeUnixNano = s.startTimeUnixNano + static_cast<std::uint64_t>(std::llround(latencyMs * 1e6));
    s.attributes = std::move(attributes);
    return s;
}

std::optional<PartialSuccess> readProtobufResponse(const std::string &body)
{
    // ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
    // ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
    auto readVarint = [](const std::string &b, std::size_t &pos, std::uint64_t &v) {
        v = 0;
        for (int shift = 0; shift < 64 && pos < b.size(); shift += 7) {
            const auto byte = static_cast<unsigned char>(b[pos++]);
            v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return true;
        }
        return false;
    };
    PartialSuccess out;
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::uint64_t key = 0, length = 0;
        if (!readVarint(body, pos, key) || (key & 7) != 2 || !readVarint(body, pos, length) ||
            length > body.size() - pos)
            return std::nullopt;
        const std::string inner = body.substr(pos, length);
        pos += length;
        if ((key >> 3) != 1)
            continue;
        std::size_t ip = 0;
        while (ip < inner.size()) {
            std::uint64_t k = 0, v = 0;
            if (!readVarint(inner, ip, k))
                return std::nullopt;
            if ((k >> 3) == 1 && (k & 7) == 0) {
                if (!readVarint(inner, ip, v))
                    return std::nullopt;
                out.rejectedSpans = static_cast<std::int64_t>(v);
            } else if ((k >> 3) == 2 && (k & 7) == 2) {
                if (!readVarint(inner, ip, v) || v > inner.size() - ip)
                    return std::nullopt;
                out.errorMessage = inner.substr(ip, v);
                ip += v;
            } else {
                return std::nullopt;
            }
        }
    }
    return out;
}

std::optional<PartialSuccess> readJsonResponse(const std::string &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(body), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    PartialSuccess out;
    const QJsonObject partial = doc.object().value(QStringLiteral("partialSuccess")).toObject();
    const QJsonValue rejected = partial.value(QStringLiteral("rejectedSpans"));
    // int64 is a string in the OTLP JSON mapping; accept a number too.
    out.rejectedSpans = rejected.isString() ? rejected.toString().toLongLong() : rejected.toInteger();
    out.errorMessage = partial.value(QStringLiteral("errorMessage")).toString().toStdString();
    return out;
}

} // namespace vigil::test::otlp
