// A prompt_regression alert offers the prompt's rollback (issue 7): the
// real evaluator raised it over a real store whose activations name commits
// of a real git repository; the button beside the runbook opens the Prompts
// page's own confirm dialog, and confirming with a reason makes the
// previously active version active again. Other alerts offer nothing.
#include "alerts_gui_fixture.h"
#include "gui_test_support.h"
#include "prompts/prompts_world.h"
#include "test_support.h"

#include "alerts/alerts_page.h"
#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompts_page.h"
#include "shell/main_window.h"

#include "audit/actor.h"
#include "record/timestamp.h"
#include "store/prompt_activation_store.h"
#include "store/store_meta.h"

#include <QAction>
#include <QDir>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>

#include <gtest/gtest.h>

#include <cstdio>

namespace vigil::test {
namespace {

constexpr char kPrompt[] = "answer-question";

struct RegressionWorld
{
    TempDir dir;
    std::string repoPath = dir.path("prompts-repo");
    std::string deployPath = dir.path("deploy");
    std::string storePath = dir.path("vigil.db");
    std::string configPath = dir.path("vigil.toml");
    std::string good, bad;
    std::int64_t nowMs = 0;
};

// `count` records of one version, one every 12 s from `fromMs`; the first
// `errors` of each ten fail.
std::string records(const std::string &sha, std::int64_t fromMs, int count, int errorsPerTen, int &id)
{
    std::string out;
    for (int i = 0; i < count; ++i) {
        const bool failed = i % 10 < errorsPerTen;
        char line[600];
        std::snprintf(line, sizeof line,
                      R"({"ts":"%s","request_id":"r%d","tenant":"acme","model":"gpt-4o-mini","provider":"openai","prompt_name":"%s","prompt_version":"%s","latency_ms":%d,"outcome":"%s","cost_usd":0.001%s})",
                      formatRfc3339Ms(fromMs + i * 12'000LL).c_str(), ++id, kPrompt, sha.c_str(), 300 + i % 7,
                      failed ? "error" : "ok", failed ? R"(,"error_type":"http_5xx")" : "");
        out += line;
        out += '\n';
    }
    return out;
}

// Two versions of answer-question: the good one active from 40 minutes ago,
// the bad one (30% errors against 10%) from 20 minutes ago; a regression rule
// and a plain error-rate rule, both fired by the real evaluator.
void build(RegressionWorld &w)
{
    PromptRepo repo(w.repoPath);
    w.good = repo.commit("prompts/answer-question.txt", "Answer the question from the context.\n\n{{ context }}\n",
                         "Add answer-question");
    w.bad = repo.commit("prompts/answer-question.txt", "Answer briefly. Never say you do not know.\n\n{{ context }}\n",
                        "answer-question: shorter answers");
    ASSERT_TRUE(QDir().mkpath(QString::fromStdString(w.deployPath)));

    w.nowMs = currentTimeMs() / kMin * kMin;
    const std::int64_t goodAt = w.nowMs - 40 * kMin;
    const std::int64_t badAt = w.nowMs - 20 * kMin;
    int id = 0;
    const std::string ndjson = records(w.good, goodAt + kMin, 90, 1, id) + records(w.bad, badAt, 95, 3, id);
    buildStore(w.storePath, w.dir.path("records.ndjson"), ndjson);
    writeStoreMeta(w.storePath, "prompts.repo", w.repoPath);
    writeStoreMeta(w.storePath, "prompts.deploy_dir", w.deployPath);
    {
        PromptActivationStore activations(w.storePath);
        activations.activate({kPrompt, w.good, std::string("first version"), currentActor(), goodAt, {}, {}});
        activations.activate({kPrompt, w.bad, std::string("shorter answers"), currentActor(), badAt, {}, {}});
    }

    writeFile(w.configPath, R"([alerts]
evaluate_every = "1m"

[[alerts.rules]]
name = "prompt-regression"
type = "prompt_regression"
description = "A new prompt version is worse than the one it replaced."
window = "15m"
min_requests = 30

[[alerts.rules]]
name = "errors"
type = "error_rate"
description = "All calls' error rate."
window = "5m"
threshold = 0.05
)");
    evaluateEveryMinute(w.storePath, setupFromFile(w.configPath), w.nowMs - 10 * kMin, w.nowMs);
}

const QString kRegressionKey = QStringLiteral("vigil/prompt-regression/prompt=answer-question");
const QString kErrorsKey = QStringLiteral("vigil/errors");

TEST(AlertRollback, ARegressionAlertOpensThePromptsRollbackDialogAndConfirmingRollsBack)
{
    RegressionWorld w;
    build(w);
    ASSERT_FALSE(HasFatalFailure());
    auto window = openWindow(w.storePath, w.configPath, w.nowMs);
    auto *alerts = qobject_cast<ui::AlertsPage *>(window->page(QStringLiteral("alerts")));
    auto *prompts = qobject_cast<ui::PromptsPage *>(window->page(QStringLiteral("prompts")));
    ASSERT_NE(alerts, nullptr);
    ASSERT_NE(prompts, nullptr);
    window->showPage(QStringLiteral("alerts"));
    ASSERT_TRUE(waitFor([&] {
        const QStringList firing = alerts->keysIn(ui::AlertsPage::Section::Firing);
        return firing.contains(kRegressionKey) && firing.contains(kErrorsKey);
    })) << alerts->keysIn(ui::AlertsPage::Section::Firing).join(QLatin1Char(' ')).toStdString();

    // Another type of alert: no rollback offered, neither as a button nor in the menu.
    ASSERT_TRUE(alerts->selectAlert(ui::AlertsPage::Section::Firing, kErrorsKey));
    EXPECT_TRUE(alerts->rollbackButton()->isHidden());
    EXPECT_TRUE(alerts->rollbackPrompt().isEmpty());
    EXPECT_EQ(alerts->contextMenuFor(alerts->alertTree()->currentItem()), nullptr);

    // The regression: the button beside the runbook names the prompt, and so does the row's menu.
    ASSERT_TRUE(alerts->selectAlert(ui::AlertsPage::Section::Firing, kRegressionKey));
    QPushButton *button = alerts->rollbackButton();
    EXPECT_TRUE(button->isVisible());
    EXPECT_EQ(button->text(), QStringLiteral("Roll back answer-question…"));
    std::unique_ptr<QMenu> menu(alerts->contextMenuFor(alerts->alertTree()->currentItem()));
    ASSERT_NE(menu, nullptr);
    ASSERT_EQ(menu->actions().size(), 1);
    EXPECT_EQ(menu->actions().front()->text(), QStringLiteral("Roll back answer-question…"));
    menu.reset();

    // Pressing it: the Prompts page, that prompt, and its own rollback dialog (planned on its worker).
    button->click();
    EXPECT_EQ(window->currentPage(), prompts);
    ui::PromptSwitchDialog *dialog = waitForDialog(*prompts);
    ASSERT_NE(dialog, nullptr) << prompts->noticeText().toStdString();
    EXPECT_EQ(prompts->selectedPrompt(), QString::fromLatin1(kPrompt));
    EXPECT_EQ(dialog->plan().kind, ui::SwitchPlan::Kind::Rollback);
    EXPECT_EQ(dialog->plan().name, kPrompt);
    EXPECT_EQ(dialog->plan().target.sha, w.good);
    ASSERT_TRUE(dialog->plan().active);
    EXPECT_EQ(dialog->plan().active->sha, w.bad);

    // The reason is required; with one, the previously active version is active again.
    dialog->reasonEdit()->clear();
    EXPECT_FALSE(dialog->confirmButton()->isEnabled());
    ASSERT_TRUE(confirm(*prompts, dialog, QStringLiteral("errors tripled after the deploy"))) << prompts->noticeText().toStdString();
    PromptActivationStore activations(w.storePath, PromptActivationStore::Access::ReadOnly);
    const auto active = activations.active(kPrompt);
    ASSERT_TRUE(active);
    EXPECT_EQ(active->sha, w.good);
    EXPECT_EQ(active->kind, "rollback");
    EXPECT_EQ(active->reason, std::optional<std::string>("errors tripled after the deploy"));
    EXPECT_EQ(activations.history(kPrompt).size(), 3u);

    // What `vigilctl prompt active` reports for the store.
    const ProcessResult cli = runVigilctl({QStringLiteral("prompt"), QStringLiteral("active"), QString::fromLatin1(kPrompt), QStringLiteral("--db"),
                                           QString::fromStdString(w.storePath)});
    EXPECT_EQ(cli.exitCode, 0) << cli.err;
    EXPECT_EQ(cli.out.rfind(std::string(kPrompt) + " " + w.good + "\n", 0), 0u) << cli.out;
    EXPECT_NE(cli.out.find("rollback by"), std::string::npos) << cli.out;
    EXPECT_NE(cli.out.find("previous: " + w.bad), std::string::npos) << cli.out;
}

TEST(AlertRollback, TheRowsMenuStartsTheSameRollback)
{
    RegressionWorld w;
    build(w);
    ASSERT_FALSE(HasFatalFailure());
    auto window = openWindow(w.storePath, w.configPath, w.nowMs);
    auto *alerts = qobject_cast<ui::AlertsPage *>(window->page(QStringLiteral("alerts")));
    auto *prompts = qobject_cast<ui::PromptsPage *>(window->page(QStringLiteral("prompts")));
    ASSERT_NE(alerts, nullptr);
    ASSERT_NE(prompts, nullptr);
    window->showPage(QStringLiteral("alerts"));
    ASSERT_TRUE(waitFor([&] { return alerts->keysIn(ui::AlertsPage::Section::Firing).contains(kRegressionKey); }));
    ASSERT_TRUE(alerts->selectAlert(ui::AlertsPage::Section::Firing, kRegressionKey));
    std::unique_ptr<QMenu> menu(alerts->contextMenuFor(alerts->alertTree()->currentItem()));
    ASSERT_NE(menu, nullptr);
    menu->actions().front()->trigger();
    ui::PromptSwitchDialog *dialog = waitForDialog(*prompts);
    ASSERT_NE(dialog, nullptr) << prompts->noticeText().toStdString();
    EXPECT_EQ(window->currentPage(), prompts);
    EXPECT_EQ(dialog->plan().target.sha, w.good);

    // Cancelling changes nothing: the bad version stays active.
    dialog->reject();
    PromptActivationStore activations(w.storePath, PromptActivationStore::Access::ReadOnly);
    EXPECT_EQ(activations.active(kPrompt)->sha, w.bad);
}

} // namespace
} // namespace vigil::test
