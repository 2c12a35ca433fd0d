#pragma once
// record/: the request-log record of ../shared/spec/request-log-v1.md, its
// validation, timestamps, and the price table that fills in missing costs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

enum class Outcome : std::uint8_t { Ok = 0, Error, Timeout, Fallback, Refused, Blocked };
inline constexpr int kOutcomeCount = 6;

std::string_view outcomeName(Outcome outcome);
std::optional<Outcome> outcomeFromName(std::string_view name);

// Where a record's cost came from: the caller reported it, we computed it from
// the price table, or neither was possible (unknown model or no token counts).
enum class CostSource : std::uint8_t { Unknown = 0, Reported = 1, Computed = 2 };

// One LLM request. Text fields are UTF-8. JSON-valued fields (`inputJson`,
// `retrievalContextJson`, `actionJson`, `attributesJson`) hold minified JSON
// text exactly as received so that an export re-ingests as it came in.
struct Record
{
    std::int64_t tsMs = 0;
    std::string requestId;
    std::string tenant;
    std::string model;
    double latencyMs = 0;
    Outcome outcome = Outcome::Ok;

    std::string provider;
    std::string promptName;
    std::string promptVersion;
    std::optional<std::int64_t> inputTokens;
    std::optional<std::int64_t> outputTokens;
    std::optional<double> costUsd;
    CostSource costSource = CostSource::Unknown;
    std::optional<std::int64_t> retrievalHits;
    std::string errorType;
    std::string user;
    std::string traceId;
    std::string sessionId;

    std::string inputJson;            // string or array of chat messages, as JSON
    std::optional<std::string> output;
    std::string retrievalContextJson; // array, as JSON
    std::string actionJson;           // string or object, as JSON
    std::string attributesJson;       // object of the fields the spec does not name

    // Filled on the way into the store: whether redaction rules changed the
    // record, and the SHA-256 of its canonical stored form (audit chain).
    bool redacted = false;
    std::string rowHash;

    bool operator==(const Record &) const = default;
};

} // namespace vigil
