#include "server/otlp/otlp_protobuf.h"

#include "server/otlp/protobuf_wire.h"

#include <cstring>

namespace vigil::otlp {

namespace {

constexpr int kMaxDepth = 32;

// Field numbers from opentelemetry/proto/{common,resource,trace}/v1 and
// collector/trace/v1.
namespace f {
constexpr std::uint32_t ExportRequest_resourceSpans = 1;
constexpr std::uint32_t ResourceSpans_resource = 1, ResourceSpans_scopeSpans = 2;
constexpr std::uint32_t Resource_attributes = 1;
constexpr std::uint32_t ScopeSpans_scope = 1, ScopeSpans_spans = 2;
constexpr std::uint32_t Scope_name = 1, Scope_version = 2;
constexpr std::uint32_t Span_traceId = 1, Span_spanId = 2, Span_parentSpanId = 4, Span_name = 5,
                        Span_kind = 6, Span_start = 7, Span_end = 8, Span_attributes = 9,
                        Span_events = 11, Span_status = 15;
constexpr std::uint32_t Event_time = 1, Event_name = 2, Event_attributes = 3;
constexpr std::uint32_t Status_message = 2, Status_code = 3;
constexpr std::uint32_t KeyValue_key = 1, KeyValue_value = 2;
constexpr std::uint32_t Any_string = 1, Any_bool = 2, Any_int = 3, Any_double = 4, Any_array = 5,
                        Any_kvlist = 6, Any_bytes = 7;
constexpr std::uint32_t ArrayValue_values = 1, KvList_values = 1;
} // namespace f

class Decoder
{
public:
    std::string error;
    std::size_t elements = 0;
    bool tooLarge = false;

    // One more span, event or attribute: false past the budget.
    bool count()
    {
        if (++elements <= kMaxExportElements)
            return true;
        tooLarge = true;
        return fail("the export holds more than " + std::to_string(kMaxExportElements) +
                    " spans, events and attributes: send smaller batches");
    }

    bool expect(WireReader &r, std::uint32_t wireType, std::uint32_t wanted, const char *what)
    {
        if (wireType == wanted)
            return true;
        r.fail(std::string("wrong wire type for ") + what);
        return false;
    }

    bool anyValue(std::string_view data, AnyValue &out, int depth);
    bool keyValue(std::string_view data, KeyValue &out, int depth)
    {
        if (depth > kMaxDepth)
            return fail("attributes nested too deeply");
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            if (field == f::KeyValue_key && expect(r, type, 2, "KeyValue.key"))
                out.key = std::string(r.bytes());
            else if (field == f::KeyValue_value && expect(r, type, 2, "KeyValue.value")) {
                if (!anyValue(r.bytes(), out.value, depth + 1))
                    return false;
            } else
                r.skip(type);
        }
        return check(r);
    }
    bool attributesInto(std::string_view data, std::vector<KeyValue> &out, int depth)
    {
        if (!count())
            return false;
        out.emplace_back();
        return keyValue(data, out.back(), depth);
    }

    bool status(std::string_view data, Span &span)
    {
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            if (field == f::Status_message && expect(r, type, 2, "Status.message"))
                span.statusMessage = std::string(r.bytes());
            else if (field == f::Status_code && expect(r, type, 0, "Status.code"))
                span.statusCode = static_cast<int>(r.varint());
            else
                r.skip(type);
        }
        return check(r);
    }

    bool event(std::string_view data, SpanEvent &event)
    {
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            if (field == f::Event_time && expect(r, type, 1, "Event.time_unix_nano"))
                event.timeUnixNano = r.fixed64();
            else if (field == f::Event_name && expect(r, type, 2, "Event.name"))
                event.name = std::string(r.bytes());
            else if (field == f::Event_attributes && expect(r, type, 2, "Event.attributes")) {
                if (!attributesInto(r.bytes(), event.attributes, 1))
                    return false;
            } else
                r.skip(type);
        }
        return check(r);
    }

    bool span(std::string_view data, Span &span)
    {
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            switch (field) {
            case f::Span_traceId:
                if (expect(r, type, 2, "Span.trace_id"))
                    span.traceId = toHex(std::string(r.bytes()));
                break;
            case f::Span_spanId:
                if (expect(r, type, 2, "Span.span_id"))
                    span.spanId = toHex(std::string(r.bytes()));
                break;
            case f::Span_parentSpanId:
                if (expect(r, type, 2, "Span.parent_span_id"))
                    span.parentSpanId = toHex(std::string(r.bytes()));
                break;
            case f::Span_name:
                if (expect(r, type, 2, "Span.name"))
                    span.name = std::string(r.bytes());
                break;
            case f::Span_kind:
                if (expect(r, type, 0, "Span.kind"))
                    span.kind = static_cast<int>(r.varint());
                break;
            case f::Span_start:
                if (expect(r, type, 1, "Span.start_time_unix_nano"))
                    span.startTimeUnixNano = r.fixed64();
                break;
            case f::Span_end:
                if (expect(r, type, 1, "Span.end_time_unix_nano"))
                    span.endTimeUnixNano = r.fixed64();
                break;
            case f::Span_attributes:
                if (expect(r, type, 2, "Span.attributes") && !attributesInto(r.bytes(), span.attributes, 1))
                    return false;
                break;
            case f::Span_events:
                if (expect(r, type, 2, "Span.events")) {
                    if (!count())
                        return false;
                    span.events.emplace_back();
                    if (!event(r.bytes(), span.events.back()))
                        return false;
                }
                break;
            case f::Span_status:
                if (expect(r, type, 2, "Span.status") && !status(r.bytes(), span))
                    return false;
                break;
            default: r.skip(type);
            }
        }
        return check(r);
    }

    bool scopeSpans(std::string_view data, ScopeSpans &out)
    {
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            if (field == f::ScopeSpans_scope && expect(r, type, 2, "ScopeSpans.scope")) {
                WireReader s(r.bytes());
                std::uint32_t sf, st;
                while (s.next(sf, st)) {
                    if (sf == f::Scope_name && st == 2)
                        out.scopeName = std::string(s.bytes());
                    else if (sf == f::Scope_version && st == 2)
                        out.scopeVersion = std::string(s.bytes());
                    else
                        s.skip(st);
                }
                if (!check(s))
                    return false;
            } else if (field == f::ScopeSpans_spans && expect(r, type, 2, "ScopeSpans.spans")) {
                if (!count())
                    return false;
                out.spans.emplace_back();
                if (!span(r.bytes(), out.spans.back()))
                    return false;
            } else {
                r.skip(type);
            }
        }
        return check(r);
    }

    bool resourceSpans(std::string_view data, ResourceSpans &out)
    {
        WireReader r(data);
        std::uint32_t field, type;
        while (r.next(field, type)) {
            if (field == f::ResourceSpans_resource && expect(r, type, 2, "ResourceSpans.resource")) {
                WireReader res(r.bytes());
                std::uint32_t rf, rt;
                while (res.next(rf, rt)) {
                    if (rf == f::Resource_attributes && rt == 2) {
                        if (!attributesInto(res.bytes(), out.resourceAttributes, 1))
                            return false;
                    } else {
                        res.skip(rt);
                    }
                }
                if (!check(res))
                    return false;
            } else if (field == f::ResourceSpans_scopeSpans && expect(r, type, 2, "ResourceSpans.scope_spans")) {
                if (!count())
                    return false;
                out.scopeSpans.emplace_back();
                if (!scopeSpans(r.bytes(), out.scopeSpans.back()))
                    return false;
            } else {
                r.skip(type);
            }
        }
        return check(r);
    }

    bool check(const WireReader &r)
    {
        if (r.failed())
            return fail(r.error());
        return true;
    }
    bool fail(std::string message)
    {
        if (error.empty())
            error = std::move(message);
        return false;
    }
};

bool Decoder::anyValue(std::string_view data, AnyValue &out, int depth)
{
    if (depth > kMaxDepth)
        return fail("attribute values nested too deeply");
    WireReader r(data);
    std::uint32_t field, type;
    while (r.next(field, type)) {
        switch (field) {
        case f::Any_string:
            if (expect(r, type, 2, "AnyValue.string_value")) {
                out.type = AnyValue::Type::String;
                out.text = std::string(r.bytes());
            }
            break;
        case f::Any_bool:
            if (expect(r, type, 0, "AnyValue.bool_value")) {
                out.type = AnyValue::Type::Bool;
                out.boolean = r.varint() != 0;
            }
            break;
        case f::Any_int:
            if (expect(r, type, 0, "AnyValue.int_value")) {
                out.type = AnyValue::Type::Int;
                out.integer = static_cast<std::int64_t>(r.varint());
            }
            break;
        case f::Any_double:
            if (expect(r, type, 1, "AnyValue.double_value")) {
                out.type = AnyValue::Type::Double;
                const std::uint64_t bits = r.fixed64();
                std::memcpy(&out.number, &bits, sizeof bits);
            }
            break;
        case f::Any_bytes:
            if (expect(r, type, 2, "AnyValue.bytes_value")) {
                out.type = AnyValue::Type::Bytes;
                out.text = std::string(r.bytes());
            }
            break;
        case f::Any_array:
            if (expect(r, type, 2, "AnyValue.array_value")) {
                out.type = AnyValue::Type::Array;
                WireReader a(r.bytes());
                std::uint32_t af, at;
                while (a.next(af, at)) {
                    if (af == f::ArrayValue_values && at == 2) {
                        if (!count())
                            return false;
                        out.array.emplace_back();
                        if (!anyValue(a.bytes(), out.array.back(), depth + 1))
                            return false;
                    } else {
                        a.skip(at);
                    }
                }
                if (!check(a))
                    return false;
            }
            break;
        case f::Any_kvlist:
            if (expect(r, type, 2, "AnyValue.kvlist_value")) {
                out.type = AnyValue::Type::KvList;
                WireReader k(r.bytes());
                std::uint32_t kf, kt;
                while (k.next(kf, kt)) {
                    if (kf == f::KvList_values && kt == 2) {
                        if (!count())
                            return false;
                        out.kvlist.emplace_back();
                        if (!keyValue(k.bytes(), out.kvlist.back(), depth + 1))
                            return false;
                    } else {
                        k.skip(kt);
                    }
                }
                if (!check(k))
                    return false;
            }
            break;
        default: r.skip(type);
        }
    }
    return check(r);
}

} // namespace

bool decodeTraceExportProtobuf(std::string_view body, TraceExport &out, std::string &error, bool *tooLarge)
{
    Decoder decoder;
    WireReader r(body);
    std::uint32_t field, type;
    while (r.next(field, type)) {
        if (field == f::ExportRequest_resourceSpans && type == 2) {
            bool ok = decoder.count();
            if (ok) {
                out.resourceSpans.emplace_back();
                ok = decoder.resourceSpans(r.bytes(), out.resourceSpans.back());
            }
            if (!ok) {
                if (tooLarge)
                    *tooLarge = decoder.tooLarge;
                error = decoder.tooLarge ? decoder.error : "malformed protobuf: " + decoder.error;
                return false;
            }
        } else {
            r.skip(type);
        }
    }
    if (r.failed()) {
        error = "malformed protobuf: " + r.error();
        return false;
    }
    return true;
}

std::string encodeExportResponseProtobuf(std::int64_t rejectedSpans, const std::string &errorMessage)
{
    if (rejectedSpans == 0 && errorMessage.empty())
        return {};
    WireWriter partial;
    if (rejectedSpans)
        partial.varintField(1, static_cast<std::uint64_t>(rejectedSpans));
    if (!errorMessage.empty())
        partial.bytesField(2, errorMessage);
    WireWriter response;
    response.bytesField(1, partial.data());
    return response.data();
}

std::string encodeStatusProtobuf(int code, const std::string &message)
{
    WireWriter status;
    status.varintField(1, static_cast<std::uint64_t>(code));
    status.bytesField(2, message);
    return status.data();
}

} // namespace vigil::otlp
