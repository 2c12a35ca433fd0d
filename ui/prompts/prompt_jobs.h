#pragma once
// The Prompts page's work, as plain functions the worker runs: each reads the
// repository and the store and returns an immutable snapshot for the UI.

#include "prompts/repository_location.h"

#include "metrics/time_window.h"
#include "prompts/prompt_registry.h"
#include "prompts/prompt_switcher.h"
#include "prompts/text_diff.h"
#include "prompts/version_metrics.h"
#include "store/prompt_activation_store.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace vigil::ui {

class PromptSession;

struct PromptRow
{
    std::string name;
    std::string path;
    std::size_t versionCount = 0;
    std::string latestSha;
    std::optional<PromptActivation> active;
};

struct PromptListSnapshot
{
    PromptLocation location;
    bool configured = false; // a repository is configured (it may still be unreadable)
    std::string repositoryError; // why the configured repository cannot be read
    std::string headSha;
    std::vector<PromptRow> rows; // by name
    std::vector<std::string> problems;
};

struct HistorySnapshot
{
    std::string name;
    TimeWindow window;
    std::vector<PromptVersion> versions;      // newest first
    std::vector<VersionMetrics> metrics;      // one per version, then stamps no version matches
    std::optional<PromptActivation> active;
    std::optional<std::string> rollbackTarget; // the SHA a rollback would restore
    std::vector<PromptActivation> activations; // oldest first
};

struct DiffSnapshot
{
    std::string name;
    PromptVersion oldVersion; // empty sha: nothing (the first activation)
    PromptVersion newVersion;
    std::vector<SideBySideRow> rows;
    std::size_t added = 0;
    std::size_t removed = 0;
    bool identical = false;
};

// A switch to confirm: what is active, what would be, and the diff between.
struct SwitchPlan
{
    enum class Kind { Activate, Rollback };
    Kind kind = Kind::Activate;
    std::string name;
    std::optional<PromptActivation> active;
    PromptVersion target;
    DiffSnapshot diff;
};

struct SwitchResult
{
    SwitchPlan::Kind kind = SwitchPlan::Kind::Activate;
    SwitchOutcome outcome;
};

// The prompts of the repository with their active versions. Notices new commits.
PromptListSnapshot loadPromptList(PromptSession &session);
HistorySnapshot loadHistory(PromptSession &session, const std::string &name, const TimeWindow &window,
                            const std::atomic<bool> &cancel);
// `oldSpec` empty: the new version against an empty text.
DiffSnapshot loadDiff(PromptSession &session, const std::string &name, const std::string &oldSpec,
                      const std::string &newSpec, const std::atomic<bool> &cancel);
// Checks the switch (the SHA changed that prompt; there is something to roll
// back to; it is not already active) and diffs active -> target. Throws PromptError.
SwitchPlan planActivate(PromptSession &session, const std::string &name, const std::string &spec,
                        const std::atomic<bool> &cancel);
SwitchPlan planRollback(PromptSession &session, const std::string &name, const std::atomic<bool> &cancel);
// Runs the switch through PromptSwitcher (the activation, its operator-log
// entry and prompts.lock.json). Throws PromptError and StoreError.
SwitchResult runSwitch(PromptSession &session, const SwitchPlan &plan, const std::string &reason);

} // namespace vigil::ui
