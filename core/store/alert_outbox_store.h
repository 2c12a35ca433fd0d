#pragma once
// The outbox of notifications (schema v4) as the dispatcher and the console
// see it: which messages are due, the outcome of each attempt, and how each
// destination is doing. An attempt's outcome and the destination's health
// are written in one transaction.

#include "alerts/alert_records.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct AttemptOutcome
{
    std::int64_t atMs = 0;
    std::optional<int> httpStatus;
    std::string error;    // the network error, or "HTTP 500"
    std::string response; // the start of the body of a refusal
};

struct OutboxCounts
{
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t rejected = 0;
    std::int64_t abandoned = 0;
};

class AlertOutbox final
{
public:
    enum class Access { ReadWrite, ReadOnly };
    explicit AlertOutbox(const std::string &storePath, Access access = Access::ReadWrite); // throws StoreError
    ~AlertOutbox();
    AlertOutbox(const AlertOutbox &) = delete;
    AlertOutbox &operator=(const AlertOutbox &) = delete;

    // Pending messages due at `nowMs`, oldest first; of the messages for one
    // destination and alert only the oldest pending one (a resolve never
    // overtakes its trigger).
    std::vector<OutboxMessage> due(std::int64_t nowMs, std::size_t limit);
    std::optional<std::int64_t> nextAttemptMs(); // the earliest pending message's

    void markDelivered(std::int64_t id, const AttemptOutcome &outcome);
    void markRetry(std::int64_t id, const AttemptOutcome &outcome, std::int64_t nextAttemptAtMs);
    // Not retried: a refusal (4xx but 429) or, when `abandoned`, given up after too long.
    void markFailed(std::int64_t id, const AttemptOutcome &outcome, bool abandoned);
    // Tried again at once (an operator's "retry now" after fixing a destination).
    void requeue(std::int64_t id, std::int64_t nowMs);

    std::vector<DestinationHealth> destinations();
    // Newest first; `status` nothing: all.
    std::vector<OutboxMessage> messages(std::optional<OutboxStatus> status, std::int64_t limit = 200);
    OutboxCounts counts();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
