#pragma once
// The part of an OTLP trace export (opentelemetry-proto trace/v1, common/v1,
// resource/v1) that Vigil reads, decoded from protobuf or JSON into plain
// values. Ids are lowercase hex.

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::otlp {

// Spans, events and attributes (nested values included) one export may hold.
// Decoded, each costs a few hundred bytes however few it took on the wire, so
// this is what bounds the memory of one request; SDKs send a few hundred spans
// per export, collectors a few thousand.
inline constexpr std::size_t kMaxExportElements = 1'000'000;

struct KeyValue;

struct AnyValue
{
    enum class Type { Empty, String, Bool, Int, Double, Array, KvList, Bytes };
    Type type = Type::Empty;
    std::string text; // String, or raw Bytes
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0;
    std::vector<AnyValue> array;
    std::vector<KeyValue> kvlist;

    // As JSON text (strings quoted, bytes base64, kvlist an object).
    std::string toJson() const;
    // Strings as they are, scalars as their JSON text, nothing for empty.
    std::string toText() const;
};

struct KeyValue
{
    std::string key;
    AnyValue value;
};

struct SpanEvent
{
    std::uint64_t timeUnixNano = 0;
    std::string name;
    std::vector<KeyValue> attributes;
};

struct Span
{
    std::string traceId; // 32 hex digits
    std::string spanId;  // 16 hex digits
    std::string parentSpanId;
    std::string name;
    int kind = 0;
    std::uint64_t startTimeUnixNano = 0;
    std::uint64_t endTimeUnixNano = 0;
    std::vector<KeyValue> attributes;
    std::vector<SpanEvent> events;
    int statusCode = 0; // 0 unset, 1 ok, 2 error
    std::string statusMessage;
};

struct ScopeSpans
{
    std::string scopeName;
    std::string scopeVersion;
    std::vector<Span> spans;
};

struct ResourceSpans
{
    std::vector<KeyValue> resourceAttributes;
    std::vector<ScopeSpans> scopeSpans;
};

struct TraceExport
{
    std::vector<ResourceSpans> resourceSpans;
    std::size_t spanCount() const;
};

std::string toHex(const std::string &bytes);

} // namespace vigil::otlp
