#pragma once
// Synthetic traffic written to a real store through the real writer
// (WriteQueue), configs parsed by the real config reader, and an evaluator
// driven at chosen times: what the alert tests build on.

#include "alerts/alert_config.h"
#include "alerts/alert_evaluator.h"
#include "alerts/alert_setup.h"
#include "record/record.h"
#include "store/alert_outbox_store.h"
#include "store/write_queue.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::test {

// 2026-11-20T10:00:00Z: tests run their traffic in this day.
inline constexpr std::int64_t kT0 = 1795168800000;
inline constexpr std::int64_t kMinute = 60'000;

struct Traffic
{
    std::int64_t fromMs = kT0;
    std::int64_t toMs = kT0 + 10 * kMinute;
    int perMinute = 60;
    std::string tenant = "acme";
    std::string model = "gpt-4o-mini";
    std::string provider = "openai";
    std::string promptName{};
    std::string promptVersion{};
    double latencyMs = 500;
    double errorShare = 0;    // the first share of each minute's requests are errors (http_5xx)
    double fallbackShare = 0; // ... then fallbacks
    std::optional<std::int64_t> retrievalHits{}; // set: every request retrieves
    double emptyRetrievalShare = 0;            // ... and this share of them find nothing
    double costUsd = 0.001;
};

class SyntheticStore final
{
public:
    explicit SyntheticStore(std::string path);
    ~SyntheticStore();
    const std::string &path() const { return m_path; }
    // Commits the traffic in one batch through the store's writer.
    void add(const Traffic &traffic);
    // Closes the writer (flushes), e.g. before a child process writes.
    void close();

private:
    std::string m_path;
    std::unique_ptr<WriteQueue> m_queue;
    std::int64_t m_next = 0;
};

// The [alerts]/[costs] of a config text, parsed by the real reader; a test
// failure naming the problems when it does not parse.
AlertConfig alertConfig(const std::string &toml);
AlertSetup alertSetup(const std::string &toml);

AlertEvaluator::Options evaluatorOptions(const std::string &storePath, const AlertConfig &config);

std::vector<OutboxMessage> outbox(const std::string &storePath); // oldest first
// Outbox rows of one event kind ("trigger", "resolve", ...), optionally for one dedup key.
std::vector<OutboxMessage> outboxEvents(const std::string &storePath, const std::string &event,
                                        const std::string &dedupKey = {});

// Runs the current thread's event loop until `condition` or the timeout.
bool spinUntil(const std::function<bool()> &condition, int timeoutMs);

} // namespace vigil::test
