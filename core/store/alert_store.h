#pragma once
// The alerting state in the store (schema v4): every alert under its dedup
// key, its history, silences, acknowledgements, and the evaluator's lease.
// An evaluation's state changes, history rows and outbox messages are
// written in one transaction, fenced by the lease: a process that lost the
// lease writes nothing. Operator actions (acknowledge, silence) write their
// operator-log entry in the same transaction as the change.

#include "alerts/alert_records.h"
#include "audit/actor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil {

// An operator action the state does not allow (acknowledging an alert that
// is not firing, ending a silence that already ended). Nothing was written.
class AlertActionRefused : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct EvaluationWrite
{
    std::string leaseHolder;      // written only while this holder has the lease
    std::int64_t evaluatedAtMs = 0; // the evaluation's "now"
    std::int64_t wallMs = 0;        // for the lease's renewal
    std::int64_t leaseMs = 60'000;
    std::vector<AlertState> states;
    std::vector<AlertHistoryEntry> history;
    std::vector<OutboxMessage> outbox; // ids are assigned; duplicates (same destination and message id) are skipped
};

struct LeaseInfo
{
    std::string holder;
    std::string host;
    std::int64_t pid = 0;
    std::int64_t acquiredAtMs = 0;
    std::int64_t expiresAtMs = 0;
    std::optional<std::int64_t> lastEvaluatedAtMs;
};

struct AlertHistoryFilter
{
    std::optional<std::int64_t> fromMs;
    std::optional<std::int64_t> toMs;
    std::optional<std::string> dedupKey;
    std::vector<std::string> events; // empty: all
    std::int64_t limit = 500;
};

class AlertStore final
{
public:
    enum class Access { ReadWrite, ReadOnly };
    // ReadWrite creates and migrates the store when needed. Throws StoreError.
    explicit AlertStore(const std::string &storePath, Access access = Access::ReadWrite);
    ~AlertStore();
    AlertStore(const AlertStore &) = delete;
    AlertStore &operator=(const AlertStore &) = delete;

    std::vector<AlertState> states();
    std::optional<AlertState> state(const std::string &dedupKey);

    // Takes or renews the evaluator lease for `holder` (a random id per
    // process). True when `holder` has it now: nobody had it, it expired,
    // its holder on this host is no longer running, or it was ours.
    bool acquireLease(const std::string &holder, std::int64_t wallMs, std::int64_t leaseMs);
    void releaseLease(const std::string &holder);
    std::optional<LeaseInfo> lease();

    // False (and nothing written) when `write.leaseHolder` no longer holds the lease.
    bool writeEvaluation(const EvaluationWrite &write);

    std::vector<Silence> silences(std::int64_t nowMs, bool includeEnded = false);
    // Mutes `target` (a dedup key or a rule name) over [startsAtMs, endsAtMs).
    Silence addSilence(const std::string &target, std::int64_t startsAtMs, std::int64_t endsAtMs,
                       const std::string &reason, const Actor &actor);
    // Ends a silence now. Throws AlertActionRefused when it is not active.
    Silence endSilence(std::int64_t id, const std::string &reason, const Actor &actor, std::int64_t atMs);

    // Marks the current episode of a firing (or pending) alert acknowledged:
    // no more reminders for it. `notify` returns the outbox messages the
    // acknowledgement causes (PagerDuty's acknowledge event); they are written
    // in the same transaction. Throws AlertActionRefused when the alert is
    // not active.
    AlertState acknowledge(const std::string &dedupKey, const std::string &reason, const Actor &actor,
                           std::int64_t atMs,
                           const std::function<std::vector<OutboxMessage>(const AlertState &)> &notify = {});

    std::vector<AlertHistoryEntry> history(const AlertHistoryFilter &filter); // newest first

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
