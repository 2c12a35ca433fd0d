#include "server/otlp/otlp_json.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <simdjson.h>

#include <cctype>
#include <cstdlib>

namespace vigil::otlp {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr int kMaxDepth = 32;

struct JsonDecoder
{
    std::string error;
    std::size_t elements = 0;
    bool tooLarge = false;

    bool fail(std::string message)
    {
        if (error.empty())
            error = std::move(message);
        return false;
    }

    // One more span, event or attribute: false past the budget.
    bool count()
    {
        if (++elements <= kMaxExportElements)
            return true;
        tooLarge = true;
        return fail("the export holds more than " + std::to_string(kMaxExportElements) +
                    " spans, events and attributes: send smaller batches");
    }

    // A member by its lowerCamelCase or snake_case name.
    static bool member(element object, std::string_view camel, std::string_view snake, element &out)
    {
        if (object.type() != element_type::OBJECT)
            return false;
        if (object[camel].get(out) == simdjson::SUCCESS)
            return true;
        return !snake.empty() && object[snake].get(out) == simdjson::SUCCESS;
    }

    bool uint64Value(element e, std::uint64_t &out, const char *what)
    {
        switch (e.type()) {
        case element_type::UINT64: out = e.get_uint64(); return true;
        case element_type::INT64: {
            const std::int64_t v = e.get_int64();
            if (v < 0)
                return fail(std::string(what) + " must not be negative");
            out = static_cast<std::uint64_t>(v);
            return true;
        }
        case element_type::DOUBLE: out = static_cast<std::uint64_t>(e.get_double()); return true;
        case element_type::STRING: {
            const std::string_view s = e.get_string();
            if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string_view::npos)
                return fail(std::string(what) + " must be a decimal integer, got \"" + std::string(s.substr(0, 30)) + "\"");
            out = std::strtoull(std::string(s).c_str(), nullptr, 10);
            return true;
        }
        case element_type::NULL_VALUE: out = 0; return true;
        default: return fail(std::string(what) + " must be an integer");
        }
    }

    bool int64Value(element e, std::int64_t &out, const char *what)
    {
        if (e.type() == element_type::STRING) {
            std::string s(std::string_view(e.get_string()));
            char *end = nullptr;
            errno = 0;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            if (s.empty() || *end || errno)
                return fail(std::string(what) + " must be a decimal integer");
            out = v;
            return true;
        }
        if (e.type() == element_type::INT64) {
            out = e.get_int64();
            return true;
        }
        if (e.type() == element_type::UINT64) {
            out = static_cast<std::int64_t>(e.get_uint64());
            return true;
        }
        if (e.type() == element_type::DOUBLE) {
            out = static_cast<std::int64_t>(e.get_double());
            return true;
        }
        return fail(std::string(what) + " must be an integer");
    }

    bool enumValue(element e, int &out, std::initializer_list<std::string_view> names)
    {
        if (e.type() == element_type::STRING) {
            const std::string_view s = e.get_string();
            int i = 0;
            for (std::string_view n : names) {
                if (n == s) {
                    out = i;
                    return true;
                }
                ++i;
            }
            out = 0;
            return true; // unknown names read as unspecified
        }
        std::int64_t v = 0;
        if (!int64Value(e, v, "enum"))
            return false;
        out = static_cast<int>(v);
        return true;
    }

    bool hexId(element e, std::string &out, std::size_t bytes, const char *what)
    {
        if (e.type() == element_type::NULL_VALUE)
            return true;
        std::string_view s;
        if (e.get(s) != simdjson::SUCCESS)
            return fail(std::string(what) + " must be a hex string");
        if (s.empty())
            return true;
        if (s.size() != bytes * 2)
            return fail(std::string(what) + " must be " + std::to_string(bytes * 2) + " hex digits");
        out.clear();
        for (char c : s) {
            if (!std::isxdigit(static_cast<unsigned char>(c)))
                return fail(std::string(what) + " must be hex");
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return true;
    }

    bool anyValue(element e, AnyValue &out, int depth)
    {
        if (depth > kMaxDepth)
            return fail("attribute values nested too deeply");
        if (e.type() != element_type::OBJECT)
            return fail("an attribute value must be an AnyValue object");
        element v;
        if (member(e, "stringValue", "string_value", v)) {
            std::string_view s;
            if (v.get(s) != simdjson::SUCCESS)
                return fail("stringValue must be a string");
            out.type = AnyValue::Type::String;
            out.text = std::string(s);
        } else if (member(e, "boolValue", "bool_value", v)) {
            bool b = false;
            if (v.get(b) != simdjson::SUCCESS)
                return fail("boolValue must be a boolean");
            out.type = AnyValue::Type::Bool;
            out.boolean = b;
        } else if (member(e, "intValue", "int_value", v)) {
            out.type = AnyValue::Type::Int;
            return int64Value(v, out.integer, "intValue");
        } else if (member(e, "doubleValue", "double_value", v)) {
            out.type = AnyValue::Type::Double;
            if (v.type() == element_type::STRING)
                out.number = std::strtod(std::string(std::string_view(v.get_string())).c_str(), nullptr);
            else if (v.is_number())
                out.number = double(v);
            else
                return fail("doubleValue must be a number");
        } else if (member(e, "bytesValue", "bytes_value", v)) {
            std::string_view s;
            if (v.get(s) != simdjson::SUCCESS)
                return fail("bytesValue must be a base64 string");
            out.type = AnyValue::Type::Bytes;
            out.text = QByteArray::fromBase64(QByteArray(s.data(), static_cast<qsizetype>(s.size()))).toStdString();
        } else if (member(e, "arrayValue", "array_value", v)) {
            out.type = AnyValue::Type::Array;
            element values;
            if (member(v, "values", "", values) && values.type() == element_type::ARRAY) {
                for (element item : simdjson::dom::array(values)) {
                    if (!count())
                        return false;
                    out.array.emplace_back();
                    if (!anyValue(item, out.array.back(), depth + 1))
                        return false;
                }
            }
        } else if (member(e, "kvlistValue", "kvlist_value", v)) {
            out.type = AnyValue::Type::KvList;
            element values;
            if (member(v, "values", "", values) && !attributes(values, out.kvlist, depth + 1))
                return false;
        }
        return true;
    }

    bool attributes(element e, std::vector<KeyValue> &out, int depth)
    {
        if (e.type() == element_type::NULL_VALUE)
            return true;
        if (e.type() != element_type::ARRAY)
            return fail("attributes must be an array of {key, value}");
        for (element kv : simdjson::dom::array(e)) {
            if (!count())
                return false;
            KeyValue entry;
            element key, value;
            std::string_view k;
            if (!member(kv, "key", "", key) || key.get(k) != simdjson::SUCCESS)
                return fail("an attribute needs a string key");
            entry.key = std::string(k);
            if (member(kv, "value", "", value) && !anyValue(value, entry.value, depth + 1))
                return false;
            out.push_back(std::move(entry));
        }
        return true;
    }

    bool span(element e, Span &s)
    {
        if (e.type() != element_type::OBJECT)
            return fail("a span must be an object");
        element v;
        if (member(e, "traceId", "trace_id", v) && !hexId(v, s.traceId, 16, "traceId"))
            return false;
        if (member(e, "spanId", "span_id", v) && !hexId(v, s.spanId, 8, "spanId"))
            return false;
        if (member(e, "parentSpanId", "parent_span_id", v) && !hexId(v, s.parentSpanId, 8, "parentSpanId"))
            return false;
        if (member(e, "name", "", v) && v.type() == element_type::STRING)
            s.name = std::string(std::string_view(v.get_string()));
        if (member(e, "kind", "", v) &&
            !enumValue(v, s.kind, {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                                   "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"}))
            return false;
        if (member(e, "startTimeUnixNano", "start_time_unix_nano", v) &&
            !uint64Value(v, s.startTimeUnixNano, "startTimeUnixNano"))
            return false;
        if (member(e, "endTimeUnixNano", "end_time_unix_nano", v) &&
            !uint64Value(v, s.endTimeUnixNano, "endTimeUnixNano"))
            return false;
        if (member(e, "attributes", "", v) && !attributes(v, s.attributes, 1))
            return false;
        if (member(e, "events", "", v) && v.type() == element_type::ARRAY) {
            for (element ev : simdjson::dom::array(v)) {
                if (!count())
                    return false;
                SpanEvent event;
                element x;
                if (member(ev, "timeUnixNano", "time_unix_nano", x) && !uint64Value(x, event.timeUnixNano, "timeUnixNano"))
                    return false;
                if (member(ev, "name", "", x) && x.type() == element_type::STRING)
                    event.name = std::string(std::string_view(x.get_string()));
                if (member(ev, "attributes", "", x) && !attributes(x, event.attributes, 1))
                    return false;
                s.events.push_back(std::move(event));
            }
        }
        if (member(e, "status", "", v) && v.type() == element_type::OBJECT) {
            element x;
            if (member(v, "code", "", x) &&
                !enumValue(x, s.statusCode, {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}))
                return false;
            if (member(v, "message", "", x) && x.type() == element_type::STRING)
                s.statusMessage = std::string(std::string_view(x.get_string()));
        }
        return true;
    }
};

std::string quoteJson(const std::string &s)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("s"), QString::fromStdString(s)}})
        .toJson(QJsonDocument::Compact)
        .mid(5)
        .chopped(1)
        .toStdString();
}

} // namespace

bool decodeTraceExportJson(std::string_view body, TraceExport &out, std::string &error, bool *tooLarge)
{
    simdjson::dom::parser parser;
    element root;
    if (const auto rc = parser.parse(body.data(), body.size(), true).get(root); rc != simdjson::SUCCESS) {
        error = std::string("invalid JSON: ") + simdjson::error_message(rc);
        return false;
    }
    JsonDecoder d;
    if (root.type() != element_type::OBJECT) {
        error = "the body must be a JSON object with resourceSpans";
        return false;
    }
    element resourceSpans;
    if (!JsonDecoder::member(root, "resourceSpans", "resource_spans", resourceSpans))
        return true; // an empty export
    if (resourceSpans.type() != element_type::ARRAY) {
        error = "resourceSpans must be an array";
        return false;
    }
    for (element rs : simdjson::dom::array(resourceSpans)) {
        if (!d.count())
            break;
        ResourceSpans group;
        element v;
        if (JsonDecoder::member(rs, "resource", "", v)) {
            element attributes;
            if (JsonDecoder::member(v, "attributes", "", attributes) &&
                !d.attributes(attributes, group.resourceAttributes, 1))
                break;
        }
        element scopes;
        if (JsonDecoder::member(rs, "scopeSpans", "scope_spans", scopes) && scopes.type() == element_type::ARRAY) {
            for (element ss : simdjson::dom::array(scopes)) {
                if (!d.count())
                    break;
                ScopeSpans scope;
                element sc, x;
                if (JsonDecoder::member(ss, "scope", "", sc)) {
                    if (JsonDecoder::member(sc, "name", "", x) && x.type() == element_type::STRING)
                        scope.scopeName = std::string(std::string_view(x.get_string()));
                    if (JsonDecoder::member(sc, "version", "", x) && x.type() == element_type::STRING)
                        scope.scopeVersion = std::string(std::string_view(x.get_string()));
                }
                element spans;
                if (JsonDecoder::member(ss, "spans", "", spans) && spans.type() == element_type::ARRAY) {
                    for (element sp : simdjson::dom::array(spans)) {
                        if (!d.count())
                            break;
                        scope.spans.emplace_back();
                        if (!d.span(sp, scope.spans.back()))
                            break;
                    }
                }
                if (!d.error.empty())
                    break;
                group.scopeSpans.push_back(std::move(scope));
            }
        }
        if (!d.error.empty())
            break;
        out.resourceSpans.push_back(std::move(group));
    }
    if (!d.error.empty()) {
        if (tooLarge)
            *tooLarge = d.tooLarge;
        error = d.error;
        return false;
    }
    return true;
}

std::string encodeExportResponseJson(std::int64_t rejectedSpans, const std::string &errorMessage)
{
    if (rejectedSpans == 0 && errorMessage.empty())
        return "{}";
    return "{\"partialSuccess\":{\"rejectedSpans\":\"" + std::to_string(rejectedSpans) +
           "\",\"errorMessage\":" + quoteJson(errorMessage) + "}}";
}

std::string encodeStatusJson(int code, const std::string &message)
{
    return "{\"code\":" + std::to_string(code) + ",\"message\":" + quoteJson(message) + "}";
}

} // namespace vigil::otlp
