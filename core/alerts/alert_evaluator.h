#pragma once

#include "alerts/alert_config.h"
#include "prompts/prompt_regression.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vigil {

struct AlertState;
struct AlertRule;
struct OutboxMessage;

// Measures every rule against the store and advances each alert's state
// (alert_state_machine.h); the changes, their history and the notifications
// they cause are written in one transaction while this process holds the
// evaluator lease. Not thread-safe: one thread (AlertService's) owns it.
class AlertEvaluator final
{
public:
    struct Options
    {
        std::string storePath;
        AlertConfig config;
        std::string configFile; // named by cap origins
        PromptRegressionRule regression;
        std::string holderId;                    // the lease holder; a random one when empty
        std::function<std::int64_t()> wallClock; // for the lease and outbox times; currentTimeMs when empty
    };

    struct Result
    {
        bool leaseHeld = false;
        std::int64_t evaluatedAtMs = 0;
        int evaluations = 0;
        int events = 0;              // history rows written
        int notificationsQueued = 0; // outbox rows
        std::vector<std::string> ruleErrors; // "rule \"x\": <store error>": its alerts were left as they were
    };

    explicit AlertEvaluator(Options options); // opens (creating, migrating) the store; throws StoreError
    ~AlertEvaluator();
    AlertEvaluator(const AlertEvaluator &) = delete;
    AlertEvaluator &operator=(const AlertEvaluator &) = delete;

    // One evaluation at `nowMs`. Throws StoreError when the store fails.
    Result evaluate(std::int64_t nowMs);
    // Evaluations every max(evaluate_every, 1 minute) from the last one (or
    // catch_up before now when there was none) up to `nowMs`, so a `for` that
    // held while no evaluator ran, or the incident in a fresh demo store, is
    // seen the same as it would have been live.
    Result catchUp(std::int64_t nowMs);

    void releaseLease();
    const std::string &holderId() const;
    const AlertConfig &config() const;

    // The destinations a notification of `rule` about `alert` goes to.
    static std::vector<const DestinationConfig *> route(const AlertConfig &config, const AlertRule &rule,
                                                        const AlertState &alert);
    // The outbox rows of `event` of `alert` (one per destination).
    static std::vector<OutboxMessage> outboxMessages(const AlertConfig &config, const AlertRule &rule,
                                                     const AlertState &alert, const std::string &event,
                                                     std::int64_t eventAtMs, std::int64_t wallMs);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The rule of `alert`: a configured one, the built-in notification_failed
// rule, or (a rule since removed from the config) a stand-in that resolves it.
AlertRule ruleForAlert(const AlertConfig &config, const AlertState &alert);

} // namespace vigil
