#pragma once
// The history of prompt activations (schema v3): which version of each prompt
// is active, since when, by whom and why. Every switch writes its row and
// its operator-log entry (and the hash-chain link) in one transaction.

#include "audit/actor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil {

struct PromptActivation
{
    std::int64_t id = 0;
    std::string name;
    std::string sha;
    std::optional<std::string> previousSha;
    std::string kind; // "activate" or "rollback"
    std::int64_t activatedAtMs = 0;
    std::string actor;
    std::string host;
    std::optional<std::string> reason;
    std::int64_t operatorLogId = 0;

    std::string by() const { return actor + "@" + host; }
};

// A switch the history does not allow: nothing to roll back to, or the
// version is already active. Nothing was written.
class PromptSwitchRefused : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The versions a rollback walks back through, oldest first: each activation
// pushes its version, each rollback pops one. After A -> B -> C it is
// [A, B, C]; a rollback makes C's predecessor B active and leaves [A, B].
std::vector<std::string> rollbackStack(const std::vector<PromptActivation> &historyOldestFirst);

class PromptActivationStore final
{
public:
    enum class Access { ReadWrite, ReadOnly };
    // ReadWrite creates and migrates the store when needed; ReadOnly never
    // creates one (StoreError NotFound) and cannot switch. Throws StoreError.
    explicit PromptActivationStore(const std::string &storePath, Access access = Access::ReadWrite);
    ~PromptActivationStore();
    PromptActivationStore(const PromptActivationStore &) = delete;
    PromptActivationStore &operator=(const PromptActivationStore &) = delete;

    std::optional<PromptActivation> active(const std::string &name);
    std::vector<PromptActivation> activeSet();                       // one per prompt, by name
    std::vector<PromptActivation> history(const std::string &name); // oldest first
    std::vector<PromptActivation> allActivations(std::int64_t fromMs, std::int64_t toMs); // for chart markers

    struct Switch
    {
        std::string name;
        std::string sha; // for activate; a rollback computes its own target
        std::optional<std::string> reason;
        Actor actor;
        std::int64_t atMs = 0;               // 0: now
        std::optional<std::string> details;  // JSON for the operator log
        // Runs inside the transaction once the rows are written, with the
        // active set as it will be after the commit (prepare the manifest
        // here). Throwing rolls everything back.
        std::function<void(const std::vector<PromptActivation> &activeSetAfter)> beforeCommit;
    };

    // Makes `sha` the active version. Throws PromptSwitchRefused when it
    // already is, StoreError when the store cannot be written.
    PromptActivation activate(const Switch &request);
    // Makes the previously active version active again (see rollbackStack).
    // Throws PromptSwitchRefused when there is none.
    PromptActivation rollback(const Switch &request);

private:
    PromptActivation record(const Switch &request, bool isRollback);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
