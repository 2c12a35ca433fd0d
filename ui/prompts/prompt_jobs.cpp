#include "prompts/prompt_jobs.h"

#include "prompts/prompt_worker.h"

#include "prompts/prompt_error.h"

namespace vigil::ui {

namespace {

PromptActivationStore openActivations(PromptSession &session)
{
    return PromptActivationStore(session.storePath(), PromptActivationStore::Access::ReadOnly);
}

PromptVersion resolveOrBare(PromptRegistry &registry, const std::string &name, const std::string &sha)
{
    try {
        return registry.resolve(name, sha);
    } catch (const PromptError &) {
        // Active, but gone from the repository (history rewritten): still name it.
        PromptVersion v;
        v.sha = sha;
        v.shortSha = sha.substr(0, 7);
        return v;
    }
}

std::string contentOrEmpty(PromptRegistry &registry, const std::string &name, const std::string &sha)
{
    return sha.empty() ? std::string() : registry.content(name, sha);
}

DiffSnapshot diffVersions(PromptRegistry &registry, const std::string &name, PromptVersion oldVersion,
                          PromptVersion newVersion, const std::atomic<bool> &cancel)
{
    DiffSnapshot diff;
    diff.name = name;
    const std::string oldText = contentOrEmpty(registry, name, oldVersion.sha);
    const std::string newText = contentOrEmpty(registry, name, newVersion.sha);
    diff.oldVersion = std::move(oldVersion);
    diff.newVersion = std::move(newVersion);
    const TextDiffer differ(&cancel);
    auto rows = differ.sideBySide(oldText, newText);
    auto lines = differ.diffLines(oldText, newText);
    if (!rows || !lines)
        return diff; // cancelled: the answer is dropped anyway
    diff.rows = std::move(*rows);
    diff.added = lines->added;
    diff.removed = lines->removed;
    diff.identical = lines->identical;
    return diff;
}

} // namespace

PromptListSnapshot loadPromptList(PromptSession &session)
{
    PromptListSnapshot snapshot;
    snapshot.location = session.location();
    snapshot.configured = session.hasRepository();
    if (!snapshot.configured)
        return snapshot;
    PromptRegistry *opened = nullptr;
    try {
        opened = &session.registry();
        opened->refresh();
    } catch (const PromptError &e) {
        if (e.kind() != PromptErrorKind::RepositoryUnavailable && e.kind() != PromptErrorKind::Git)
            throw;
        snapshot.repositoryError = e.what();
        return snapshot;
    }
    PromptRegistry &registry = *opened;
    snapshot.headSha = registry.headSha();
    snapshot.problems = registry.problems();
    std::vector<PromptActivation> activeSet = openActivations(session).activeSet();
    for (const PromptInfo &info : registry.prompts()) {
        PromptRow row;
        row.name = info.name;
        row.path = info.path;
        row.versionCount = info.versionCount;
        row.latestSha = info.latestSha;
        for (PromptActivation &a : activeSet) {
            if (a.name == info.name)
                row.active = std::move(a);
        }
        snapshot.rows.push_back(std::move(row));
    }
    return snapshot;
}

HistorySnapshot loadHistory(PromptSession &session, const std::string &name, const TimeWindow &window,
                            const std::atomic<bool> &cancel)
{
    HistorySnapshot snapshot;
    snapshot.name = name;
    snapshot.window = window;
    PromptRegistry &registry = session.registry();
    snapshot.versions = registry.versions(name);
    auto metrics = promptVersionMetrics(session.storePath(), registry, name, snapshot.versions, window, &cancel);
    if (!metrics)
        return snapshot; // cancelled
    snapshot.metrics = std::move(*metrics);
    PromptActivationStore store = openActivations(session);
    snapshot.activations = store.history(name);
    if (!snapshot.activations.empty())
        snapshot.active = store.active(name);
    const auto stack = rollbackStack(snapshot.activations);
    if (stack.size() >= 2)
        snapshot.rollbackTarget = stack[stack.size() - 2];
    return snapshot;
}

DiffSnapshot loadDiff(PromptSession &session, const std::string &name, const std::string &oldSpec,
                      const std::string &newSpec, const std::atomic<bool> &cancel)
{
    PromptRegistry &registry = session.registry();
    PromptVersion oldVersion;
    if (!oldSpec.empty())
        oldVersion = registry.resolve(name, oldSpec);
    PromptVersion newVersion = registry.resolve(name, newSpec);
    return diffVersions(registry, name, std::move(oldVersion), std::move(newVersion), cancel);
}

SwitchPlan planActivate(PromptSession &session, const std::string &name, const std::string &spec,
                        const std::atomic<bool> &cancel)
{
    PromptRegistry &registry = session.registry();
    SwitchPlan plan;
    plan.kind = SwitchPlan::Kind::Activate;
    plan.name = name;
    plan.target = registry.resolve(name, spec); // refuses a SHA that did not change this prompt
    plan.active = openActivations(session).active(name);
    if (plan.active && plan.active->sha == plan.target.sha)
        throw PromptError(PromptErrorKind::Refused, "version " + plan.target.shortSha + " of prompt \"" + name +
                                                        "\" is already active");
    PromptVersion from = plan.active ? resolveOrBare(registry, name, plan.active->sha) : PromptVersion();
    plan.diff = diffVersions(registry, name, std::move(from), plan.target, cancel);
    return plan;
}

SwitchPlan planRollback(PromptSession &session, const std::string &name, const std::atomic<bool> &cancel)
{
    PromptRegistry &registry = session.registry();
    registry.versions(name); // an unknown prompt is refused first
    SwitchPlan plan;
    plan.kind = SwitchPlan::Kind::Rollback;
    plan.name = name;
    PromptActivationStore store = openActivations(session);
    const std::vector<PromptActivation> history = store.history(name);
    const auto stack = rollbackStack(history);
    if (stack.size() < 2) {
        throw PromptError(PromptErrorKind::Refused,
                          history.empty()
                              ? "prompt \"" + name + "\" has never been activated, so there is nothing to roll back"
                              : "prompt \"" + name + "\" has no earlier version to roll back to: " +
                                    stack.back().substr(0, 7) +
                                    " is the first version activated through Vigil (activate an older one explicitly)");
    }
    plan.active = store.active(name);
    plan.target = resolveOrBare(registry, name, stack[stack.size() - 2]);
    PromptVersion from = plan.active ? resolveOrBare(registry, name, plan.active->sha) : PromptVersion();
    plan.diff = diffVersions(registry, name, std::move(from), plan.target, cancel);
    return plan;
}

SwitchResult runSwitch(PromptSession &session, const SwitchPlan &plan, const std::string &reason)
{
    PromptSwitcher switcher(session.registry(), session.storePath(), session.location().deployDir);
    SwitchResult result;
    result.kind = plan.kind;
    result.outcome = plan.kind == SwitchPlan::Kind::Rollback ? switcher.rollback(plan.name, reason)
                                                             : switcher.activate(plan.name, plan.target.sha, reason);
    return result;
}

} // namespace vigil::ui
