#pragma once
// demo/: a deterministic generator of realistic request logs for the demo
// store, the tests and the benchmarks. Same options, same bytes.

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace vigil {

struct PromptVersionSpec
{
    std::string version;       // a commit SHA (7..40 hex) or a label
    std::int64_t activeFromMs; // when requests start using it
};

struct PromptSpec
{
    std::string name;
    std::vector<PromptVersionSpec> versions; // ascending activeFromMs
};

struct GeneratorOptions
{
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::uint64_t records = 100'000;  // spread over [startMs, endMs) with a daily rhythm
    std::uint64_t seed = 42;
    double malformedShare = 0;        // lines that must be quarantined
    std::size_t minPayloadBytes = 1000; // input + output + retrieval text per record
    std::size_t maxPayloadBytes = 3000;
    // The incident of the demo: in the last 40 minutes before incidentEndMs the
    // anthropic provider returns bursts of 5xx, and the bad prompt version
    // (answer-question's last version) makes gpt-4o-mini five times slower.
    std::optional<std::int64_t> incidentEndMs;
    std::vector<PromptSpec> prompts;  // empty: the built-in demo prompts
};

// The built-in demo prompts with versions activated at fixed points of
// [startMs, endMs); answer-question's last version goes live 40 minutes before
// the end (the incident's bad deploy).
std::vector<PromptSpec> demoPrompts(std::int64_t startMs, std::int64_t endMs);

class LogGenerator final
{
public:
    explicit LogGenerator(GeneratorOptions options);

    // The next NDJSON line (without newline); false when all are out.
    bool next(std::string &line);
    std::uint64_t produced() const { return m_index; }
    std::uint64_t malformedProduced() const { return m_malformed; }

private:
    std::int64_t timestampAt(std::uint64_t index);
    void appendText(std::string &out, std::size_t bytes);
    void writeRecord(std::string &line, std::int64_t ts);
    void writeMalformed(std::string &line, std::int64_t ts);
    double uniform();
    double normal();
    const PromptVersionSpec &versionAt(const PromptSpec &prompt, std::int64_t ts) const;

    GeneratorOptions m_options;
    std::mt19937_64 m_rng;
    std::uint64_t m_index = 0;
    std::uint64_t m_malformed = 0;
    std::vector<double> m_tenantCdf;
};

} // namespace vigil
