#pragma once
// Builds OTLP trace export bodies the way SDKs send them, written from the
// OTLP specification independently of the server's decoder: protobuf
// (ExportTraceServiceRequest, opentelemetry-proto trace/v1) with a small
// wire encoder, and the OTLP/JSON mapping (hex ids, 64-bit integers as
// strings, enums as numbers). Also reads the ExportTraceServiceResponse.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vigil::test::otlp {

struct Value;
using KeyValues = std::vector<std::pair<std::string, Value>>;

struct Value
{
    struct Array { std::vector<Value> values; };
    struct KvList { KeyValues values; };
    std::variant<std::string, std::int64_t, double, bool, Array, KvList> v;

    Value(const char *s) : v(std::string(s)) {}
    Value(std::string s) : v(std::move(s)) {}
    Value(int i) : v(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i) : v(i) {}
    Value(double d) : v(d) {}
    Value(bool b) : v(b) {}
    static Value array(std::vector<Value> values) { return Value(Array{std::move(values)}); }
    static Value kvlist(KeyValues values) { return Value(KvList{std::move(values)}); }

private:
    explicit Value(Array a) : v(std::move(a)) {}
    explicit Value(KvList k) : v(std::move(k)) {}
};

struct Event
{
    std::string name;
    std::uint64_t timeUnixNano = 0;
    KeyValues attributes;
};

struct Span
{
    std::string traceId = "5b8efff798038103d269b633813fc60c"; // 32 hex digits
    std::string spanId;                                        // 16 hex digits
    std::string parentSpanId;
    std::string name = "chat";
    int kind = 3; // SPAN_KIND_CLIENT
    std::uint64_t startTimeUnixNano = 0;
    std::uint64_t endTimeUnixNano = 0;
    KeyValues attributes;
    std::vector<Event> events;
    int statusCode = 0; // 0 unset, 1 ok, 2 error
    std::string statusMessage;
};

struct Export
{
    KeyValues resourceAttributes{{"service.name", "test-service"}};
    std::string scopeName = "vigil-test";
    std::string scopeVersion = "1.0";
    std::vector<Span> spans;
};

std::string toProtobuf(const Export &e);
std::string toJson(const Export &e);

// A GenAI span: `latencyMs` long, starting at `startMs` (epoch ms).
Span span(const std::string &spanId, std::int64_t startMs, double latencyMs, KeyValues attributes);

struct PartialSuccess
{
    std::int64_t rejectedSpans = 0;
    std::string errorMessage;
};
// The partial_success of an ExportTraceServiceResponse body (nothing when the
// body is not a valid response in that encoding).
std::optional<PartialSuccess> readProtobufResponse(const std::string &body);
std::optional<PartialSuccess> readJsonResponse(const std::string &body);

} // namespace vigil::test::otlp
