#pragma once

#include "audit/actor.h"
#include "prompts/prompt_registry.h"
#include "store/prompt_activation_store.h"

#include <optional>
#include <string>

namespace vigil {

struct SwitchOutcome
{
    PromptActivation activation;
    PromptVersion version;    // the version now active
    std::string manifestPath; // the prompts.lock.json written
};

// Activates and rolls back prompt versions: checks the version against the
// repository, refuses before anything changes when the deploy folder cannot
// be written, records the activation with its operator-log entry in one
// store transaction, then publishes the whole active set to prompts.lock.json.
// Throws PromptError (bad input, refusals, an unwritable deploy folder) and
// StoreError. Use from one thread at a time (it uses the registry).
class PromptSwitcher final
{
public:
    PromptSwitcher(PromptRegistry &registry, std::string storePath, std::string deployFolder);

    // `spec`: a SHA prefix or a tag (PromptRegistry::resolve).
    SwitchOutcome activate(const std::string &name, const std::string &spec, const std::optional<std::string> &reason,
                           const Actor &actor = currentActor(), std::int64_t atMs = 0);
    // The previously active version (not the parent commit): A -> B -> C, then
    // rollback gives B, another gives A, a third is refused.
    SwitchOutcome rollback(const std::string &name, const std::optional<std::string> &reason,
                           const Actor &actor = currentActor(), std::int64_t atMs = 0);
    // What a rollback would restore now (for a confirm dialog), or nothing.
    std::optional<std::string> rollbackTarget(const std::string &name);
    // Rewrites prompts.lock.json from the store's active set.
    std::string publishManifest();

private:
    std::string manifestFor(const std::vector<PromptActivation> &activeSet);
    SwitchOutcome run(const std::string &name, const std::string &sha, bool isRollback,
                      const std::optional<std::string> &reason, const Actor &actor, std::int64_t atMs);

    PromptRegistry &m_registry;
    std::string m_storePath;
    std::string m_deployFolder;
};

} // namespace vigil
