#pragma once
// A brute-force reading of an NDJSON request log, independent of Vigil's
// parser (QJsonDocument instead of simdjson): which lines are valid records
// by the spec, and what each holds. Tests compare the store and the query
// answers against it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {
class PriceTable;
}

namespace vigil::test {

struct ReferenceRecord
{
    std::string requestId;
    std::int64_t tsMs = 0;
    std::string tenant;
    std::string model;
    std::string provider;
    std::string promptName;
    std::string promptVersion;
    double latencyMs = 0;
    std::string outcome;
    std::optional<std::int64_t> inputTokens;
    std::optional<std::int64_t> outputTokens;
    std::optional<double> costUsd; // reported, else computed from the price table
    bool costComputed = false;
    std::optional<std::int64_t> retrievalHits;
    std::string errorType;
};

struct ReferenceLog
{
    std::vector<ReferenceRecord> records; // what the store must hold: valid, first of each id
    std::int64_t lines = 0;               // every line, blank ones included
    std::int64_t blank = 0;
    std::int64_t invalid = 0;             // lines the store must quarantine
    std::vector<std::int64_t> invalidLines; // their 1-based line numbers
    std::int64_t duplicates = 0;          // valid lines whose request_id came earlier
};

// Reads a whole plain file (CRLF and a leading UTF-8 BOM allowed). `prices`
// fills in costs the lines do not report, as the spec says.
ReferenceLog readReferenceLog(const std::string &path, const PriceTable &prices);
ReferenceLog referenceFromText(const std::string &text, const PriceTable &prices);

// One line by the spec: the record, or nothing when it must be quarantined.
std::optional<ReferenceRecord> referenceRecord(const std::string &line, const PriceTable &prices);

} // namespace vigil::test
