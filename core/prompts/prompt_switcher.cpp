#include "prompts/prompt_switcher.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_manifest.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vigil {

PromptSwitcher::PromptSwitcher(PromptRegistry &registry, std::string storePath, std::string deployFolder)
    : m_registry(registry), m_storePath(std::move(storePath)), m_deployFolder(std::move(deployFolder))
{
}

std::string PromptSwitcher::manifestFor(const std::vector<PromptActivation> &activeSet)
{
    std::vector<ManifestEntry> entries;
    for (const PromptActivation &a : activeSet) {
        ManifestEntry e;
        e.name = a.name;
        e.sha = a.sha;
        e.activatedAtMs = a.activatedAtMs;
        e.by = a.by();
        e.reason = a.reason;
        try {
            auto file = m_registry.fileAt(a.name, a.sha);
            e.path = std::move(file.path);
            e.content = std::move(file.content);
        } catch (const PromptError &) {
            // The commit is gone from the repository (history rewritten): the
            // entry still says what is active; the service keeps its copy.
        }
        entries.push_back(std::move(e));
    }
    return manifestJson(entries);
}

SwitchOutcome PromptSwitcher::run(const std::string &name, const std::string &sha, bool isRollback,
                                  const std::optional<std::string> &reason, const Actor &actor, std::int64_t atMs)
{
    // Refuse before anything changes when the manifest cannot be written.
    ManifestWriter writer(m_deployFolder);
    DeployFolderLock lock(m_deployFolder);
    writer.checkWritable();

    PromptActivationStore store(m_storePath);
    PromptActivationStore::Switch request;
    request.name = name;
    request.sha = sha;
    request.reason = reason;
    request.actor = actor;
    request.atMs = atMs;
    request.details = QJsonDocument(QJsonObject{{QStringLiteral("repository"),
                                                 QString::fromStdString(m_registry.options().repositoryPath)},
                                                {QStringLiteral("manifest"), QString::fromStdString(writer.path())}})
                          .toJson(QJsonDocument::Compact)
                          .toStdString();
    std::string manifest;
    request.beforeCommit = [&](const std::vector<PromptActivation> &activeSet) { manifest = manifestFor(activeSet); };
    SwitchOutcome outcome;
    try {
        outcome.activation = isRollback ? store.rollback(request) : store.activate(request);
    } catch (const PromptSwitchRefused &e) {
        throw PromptError(PromptErrorKind::Refused, e.what());
    }
    try {
        writer.write(manifest);
    } catch (const PromptError &e) {
        throw PromptError(PromptErrorKind::DeployUnwritable,
                          std::string("the switch is recorded in the store, but the manifest was not replaced: ") +
                              e.what() + " (the next activation rewrites it)");
    }
    outcome.manifestPath = writer.path();
    try {
        outcome.version = m_registry.resolve(name, outcome.activation.sha);
    } catch (const PromptError &) {
        outcome.version.sha = outcome.activation.sha; // switched to a commit the repository no longer lists
        outcome.version.shortSha = outcome.activation.sha.substr(0, 7);
    }
    return outcome;
}

SwitchOutcome PromptSwitcher::activate(const std::string &name, const std::string &spec,
                                       const std::optional<std::string> &reason, const Actor &actor, std::int64_t atMs)
{
    const PromptVersion version = m_registry.resolve(name, spec);
    return run(name, version.sha, false, reason, actor, atMs);
}

SwitchOutcome PromptSwitcher::rollback(const std::string &name, const std::optional<std::string> &reason,
                                       const Actor &actor, std::int64_t atMs)
{
    m_registry.versions(name); // an unknown prompt is bad input, before anything else
    return run(name, std::string(), true, reason, actor, atMs);
}

std::optional<std::string> PromptSwitcher::rollbackTarget(const std::string &name)
{
    PromptActivationStore store(m_storePath);
    const auto stack = rollbackStack(store.history(name));
    if (stack.size() < 2)
        return std::nullopt;
    return stack[stack.size() - 2];
}

std::string PromptSwitcher::publishManifest()
{
    ManifestWriter writer(m_deployFolder);
    DeployFolderLock lock(m_deployFolder);
    PromptActivationStore store(m_storePath);
    writer.write(manifestFor(store.activeSet()));
    return writer.path();
}

} // namespace vigil
