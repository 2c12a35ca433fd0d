#pragma once
// A world for the Prompts page tests: a git repository made with the git
// binary (not with the libgit2 code under test), a store holding records
// stamped with its versions over the last hour, and the real main window.

#include "test_support.h"

#include "shell/main_window.h"

#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vigil::ui {
class PromptsPage;
class PromptSwitchDialog;
} // namespace vigil::ui

namespace vigil::test {

// Runs git in `repo`; fails the test on a non-zero exit. Returns stdout, trimmed.
std::string git(const std::string &repo, const QStringList &args);

class PromptRepo
{
public:
    explicit PromptRepo(std::string path);
    // Writes the file (relative path) and commits it; returns the full SHA.
    std::string commit(const std::string &file, const std::string &content, const std::string &subject,
                       const std::string &author = "Maya Chen");
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    int m_clock = 0;
};

// The records of one version: latencies, and which of them failed.
struct StampedRecords
{
    std::string prompt;
    std::string stamp; // the prompt_version written
    std::vector<double> latencies;
    std::vector<std::string> outcomes; // "ok", "error", "timeout", "fallback"
    double costUsd = 0.002;
};

struct PromptsWorld
{
    PromptsWorld();

    TempDir dir;
    std::string repoPath;
    std::string deployPath;
    std::string storePath;
    std::unique_ptr<PromptRepo> repo;
    // summarize: A -> B -> C (newest); classify: one version; unrelated: a
    // commit that changed no prompt.
    std::string summarizeA, summarizeB, summarizeC, classifyA, unrelated;
    std::vector<StampedRecords> records;
    std::int64_t recordsEndMs = 0;

    // The store points at the repository and deploy folder (as the demo's does).
    void rememberRepoInStore();
};

inline constexpr char kTextA[] = "Summarize the document in 3 bullet points.\nKeep each bullet short.\n\n{{ document }}\n";
inline constexpr char kTextB[] = "Summarize the document in 3 bullet points.\nKeep each bullet under 20 words.\n\n{{ document }}\n";
inline constexpr char kTextC[] = "Summarize the document in 5 bullet points.\nKeep each bullet under 20 words.\n"
                                 "Keep every number exactly as written.\n\n{{ document }}\n";

// The window, shown, on the world's store, on the Prompts page with `prompt`
// selected and its history loaded.
struct PromptsWindow
{
    explicit PromptsWindow(const PromptsWorld &world, const QString &prompt = QStringLiteral("summarize"));
    ~PromptsWindow();

    ui::MainWindow window;
    ui::PromptsPage *page = nullptr;
};

// Waits until the page has no job in flight.
bool settle(ui::PromptsPage &page);
// Waits for the history of `prompt` to be shown (after it changed: `minActivations`).
bool historyShown(ui::PromptsPage &page, const QString &prompt, std::size_t minActivations = 0);
// Asks for a rollback / an activation and returns the confirm dialog (null when none opened).
ui::PromptSwitchDialog *waitForDialog(ui::PromptsPage &page);
// Types the reason, confirms and waits for the switch to land.
bool confirm(ui::PromptsPage &page, ui::PromptSwitchDialog *dialog, const QString &reason);

} // namespace vigil::test
