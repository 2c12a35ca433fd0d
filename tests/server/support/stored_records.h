#pragma once
// What a store holds for each request, read with plain SQL (through
// StoreProbe), so server tests check what is on disk, not what the server said.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vigil::test {

struct StoredRecord
{
    std::string requestId;
    std::int64_t tsMs = 0;
    std::string tenant;
    std::string model;
    std::string provider;
    std::string promptName;
    std::string promptVersion;
    double latencyMs = 0;
    std::string outcome; // "ok", "error", ...
    std::optional<std::int64_t> inputTokens;
    std::optional<std::int64_t> outputTokens;
    std::optional<double> costUsd;
    std::optional<std::int64_t> retrievalHits;
    std::string errorType;
    std::string user;
    std::string traceId;
    std::string sessionId;
    std::string input;  // JSON text as stored
    std::optional<std::string> output;
    std::string retrievalContext;
    std::string attributes;
};

// Every request row of the store at `path`, by request_id.
std::map<std::string, StoredRecord> storedRecords(const std::string &path);

} // namespace vigil::test
