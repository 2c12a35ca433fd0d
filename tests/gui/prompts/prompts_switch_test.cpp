// Activate and roll back from the page: the confirm dialog (diff, reason),
// what lands in the store, the operator log and prompts.lock.json, and what
// is refused with nothing changed.
#include "prompts_world.h"

#include "gui_test_support.h"

#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompts_page.h"
#include "prompts/side_by_side_view.h"
#include "prompts/version_history_model.h"
#include "shell/console_context.h"

#include "store/operator_log_store.h"
#include "store/prompt_activation_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "pages/dashboard_page.h"
#include "prompts/prompt_list_model.h"
#include <QTableView>
#include <QDateTime>
#include <QFileInfo>
#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

std::vector<PromptActivation> activations(const PromptsWorld &world, const std::string &name = "summarize")
{
    PromptActivationStore store(world.storePath, PromptActivationStore::Access::ReadOnly);
    return store.history(name);
}

std::vector<OperatorLogEntry> promptLog(const PromptsWorld &world)
{
    OperatorLog log(world.storePath);
    OperatorLog::Filter filter;
    filter.action = "prompt.";
    return log.list(filter);
}

QJsonObject manifestEntry(const PromptsWorld &world, const QString &name)
{
    const std::string text = readFile(world.deployPath + "/prompts.lock.json");
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object().value(QStringLiteral("prompts")).toObject().value(name).toObject();
}

void activate(PromptsPage &page, const std::string &sha, const QString &reason)
{
    page.requestActivate(QStringLiteral("summarize"), QString::fromStdString(sha.substr(0, 7)));
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr) << page.noticeText().toStdString();
    ASSERT_TRUE(confirm(page, dialog, reason)) << page.noticeText().toStdString();
}

TEST(PromptsSwitch, ActivateWithAReasonRecordsItLogsItAndWritesTheManifest)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;

    // The selected version goes to the version field; Activate… plans and opens the dialog.
    page.selectVersions({QString::fromStdString(world.summarizeB)});
    ASSERT_TRUE(settle(page));
    EXPECT_EQ(page.versionEdit()->text(), QString::fromStdString(world.summarizeB.substr(0, 7)));
    QSignalSpy shown(&page, &PromptsPage::switchDialogShown);
    page.activateButton()->click();
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr) << page.noticeText().toStdString();
    EXPECT_EQ(shown.count(), 1);
    // The dialog shows the diff from what is active (nothing) to the target.
    EXPECT_EQ(dialog->plan().target.sha, world.summarizeB);
    EXPECT_TRUE(dialog->diffView()->isDiff());
    EXPECT_TRUE(dialog->diffView()->toPlainText().contains(QStringLiteral("Keep each bullet under 20 words.")));
    EXPECT_FALSE(dialog->confirmButton()->isEnabled()); // no reason yet

    const std::int64_t before = QDateTime::currentMSecsSinceEpoch();
    ASSERT_TRUE(confirm(page, dialog, QStringLiteral("ticket SUP-1432: shorter bullets"))) << page.noticeText().toStdString();

    const auto history = activations(world);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].sha, world.summarizeB);
    EXPECT_EQ(history[0].kind, "activate");
    EXPECT_EQ(history[0].reason.value_or(""), "ticket SUP-1432: shorter bullets");
    EXPECT_GE(history[0].activatedAtMs, before);
    EXPECT_FALSE(history[0].previousSha);
    const auto log = promptLog(world);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].id, history[0].operatorLogId);
    EXPECT_EQ(log[0].action.action, "prompt.activate");
    EXPECT_EQ(log[0].action.reason.value_or(""), "ticket SUP-1432: shorter bullets");
    const QJsonObject entry = manifestEntry(world, QStringLiteral("summarize"));
    EXPECT_EQ(entry.value(QStringLiteral("sha")).toString(), QString::fromStdString(world.summarizeB));
    EXPECT_EQ(entry.value(QStringLiteral("content")).toString(), QString::fromUtf8(kTextB));

    // The page says so, marks the version active, and the list shows it.
    EXPECT_FALSE(page.noticeIsError());
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("is active"))) << page.noticeText().toStdString();
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("prompts.lock.json")));
    ASSERT_TRUE(historyShown(page, QStringLiteral("summarize"), 1));
    const VersionHistoryModel &model = page.historyModel();
    const int row = model.rowOfSha(world.summarizeB);
    EXPECT_TRUE(model.isActive(row));
    EXPECT_EQ(model.data(model.index(row, VersionHistoryModel::State)).toString(), QStringLiteral("● active"));
    EXPECT_TRUE(page.activeLine().contains(QString::fromStdString(world.summarizeB.substr(0, 7))));
    EXPECT_TRUE(page.activeLine().contains(QStringLiteral("SUP-1432")));
    const int listRow = page.promptModel().rowOf("summarize");
    EXPECT_EQ(page.promptModel().data(page.promptModel().index(listRow, 1)).toString(),
              QString::fromStdString(world.summarizeB.substr(0, 7)));

    // The dashboard's charts carry the activation as a marker.
    ASSERT_TRUE(waitFor([&] { return !w.window.dashboard()->markers().isEmpty(); }));
    const QString label = QStringLiteral("summarize@%1").arg(QString::fromStdString(world.summarizeB.substr(0, 7)));
    EXPECT_EQ(w.window.dashboard()->markers().constFirst().label, label);
    EXPECT_EQ(w.window.dashboard()->markers().constFirst().atMs, history[0].activatedAtMs);
}

TEST(PromptsSwitch, RollbackAfterABCGoesToBThenAThenIsRefused)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    activate(page, world.summarizeA, QStringLiteral("first"));
    activate(page, world.summarizeB, QStringLiteral("second"));
    activate(page, world.summarizeC, QStringLiteral("third"));
    ASSERT_TRUE(historyShown(page, QStringLiteral("summarize"), 3));
    ASSERT_EQ(activations(world).back().sha, world.summarizeC);
    // The previously active version is offered (not C's parent in git, which is the README commit).
    EXPECT_TRUE(page.rollbackButton()->isEnabled());
    EXPECT_EQ(page.historyModel().snapshot()->rollbackTarget.value_or(""), world.summarizeB);

    // Ctrl+Shift+R on the page: the dialog shows C -> B.
    w.window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&w.window));
    page.versionTable()->setFocus();
    QTest::keyClick(&w.window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr) << page.noticeText().toStdString();
    EXPECT_EQ(dialog->plan().kind, SwitchPlan::Kind::Rollback);
    EXPECT_EQ(dialog->plan().diff.oldVersion.sha, world.summarizeC);
    EXPECT_EQ(dialog->plan().target.sha, world.summarizeB);
    // With both versions' live figures (C: 20 requests, B: 30 with 6 timeouts).
    EXPECT_TRUE(dialog->figures().contains(QStringLiteral("%1: 20 requests").arg(QString::fromStdString(world.summarizeC.substr(0, 7)))))
        << dialog->figures().toStdString();
    EXPECT_TRUE(dialog->figures().contains(QStringLiteral("%1: 30 requests").arg(QString::fromStdString(world.summarizeB.substr(0, 7)))));
    EXPECT_TRUE(dialog->figures().contains(QStringLiteral("errors 20.00%"))) << dialog->figures().toStdString();
    ASSERT_TRUE(confirm(page, dialog, QStringLiteral("p95 tripled"))) << page.noticeText().toStdString();
    EXPECT_EQ(activations(world).back().sha, world.summarizeB);
    EXPECT_EQ(activations(world).back().kind, "rollback");
    EXPECT_EQ(manifestEntry(world, QStringLiteral("summarize")).value(QStringLiteral("sha")).toString(),
              QString::fromStdString(world.summarizeB));
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("rolled back to %1").arg(QString::fromStdString(world.summarizeB.substr(0, 7)))))
        << page.noticeText().toStdString();

    // The page now shows the version rolled back from against the one active again.
    ASSERT_TRUE(historyShown(page, QStringLiteral("summarize"), 4));
    ASSERT_TRUE(waitFor([&] { return page.diff() && page.diff()->newVersion.sha == world.summarizeB && !page.isLoading(); }));
    EXPECT_EQ(page.diff()->oldVersion.sha, world.summarizeC);
    EXPECT_TRUE(page.diffTitle().contains(QStringLiteral("%1 (active)").arg(QString::fromStdString(world.summarizeB.substr(0, 7)))))
        << page.diffTitle().toStdString();

    // Again: A.
    page.rollbackButton()->click();
    dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr) << page.noticeText().toStdString();
    EXPECT_EQ(dialog->plan().target.sha, world.summarizeA);
    ASSERT_TRUE(confirm(page, dialog, QStringLiteral("still bad")));
    EXPECT_EQ(activations(world).back().sha, world.summarizeA);
    EXPECT_EQ(promptLog(world).size(), 5u);

    // Once more: A was the first version activated here; refused, nothing changes.
    ASSERT_TRUE(historyShown(page, QStringLiteral("summarize"), 5));
    EXPECT_FALSE(page.rollbackButton()->isEnabled());
    QSignalSpy failed(&page, &PromptsPage::switchFailed);
    page.requestRollback(QStringLiteral("summarize"));
    EXPECT_EQ(waitForDialog(page), nullptr);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(page.noticeIsError());
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("no earlier version to roll back to"))) << page.noticeText().toStdString();
    EXPECT_EQ(activations(world).size(), 5u);
}

TEST(PromptsSwitch, CancellingTheDialogChangesNothing)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    activate(page, world.summarizeA, QStringLiteral("baseline"));
    const std::string manifest = readFile(world.deployPath + "/prompts.lock.json");

    page.requestActivate(QStringLiteral("summarize"), QString::fromStdString(world.summarizeC));
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->plan().diff.oldVersion.sha, world.summarizeA); // active -> target
    dialog->reasonEdit()->setText(QStringLiteral("typed, then thought better of it"));
    QTest::keyClick(dialog, Qt::Key_Escape);
    ASSERT_TRUE(waitFor([&] { return !page.switchDialog(); }));
    ASSERT_TRUE(settle(page));
    EXPECT_EQ(activations(world).size(), 1u);
    EXPECT_EQ(promptLog(world).size(), 1u);
    EXPECT_EQ(readFile(world.deployPath + "/prompts.lock.json"), manifest);
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("nothing was switched")));
}

TEST(PromptsSwitch, AnEmptyReasonIsRefused)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    page.requestActivate(QStringLiteral("summarize"), QString::fromStdString(world.summarizeB));
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr);
    dialog->reasonEdit()->setText(QStringLiteral("   "));
    EXPECT_FALSE(dialog->confirmButton()->isEnabled());
    EXPECT_TRUE(dialog->hint().contains(QStringLiteral("A reason is required")));
    // Enter in the reason field, and accept() itself, do not get past it either.
    QTest::keyClick(dialog->reasonEdit(), Qt::Key_Return);
    dialog->accept();
    QTest::qWait(200);
    ASSERT_TRUE(settle(page));
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_TRUE(activations(world).empty());
    EXPECT_TRUE(promptLog(world).empty());
    EXPECT_FALSE(QFileInfo::exists(QString::fromStdString(world.deployPath + "/prompts.lock.json")));
    dialog->reject();
}

TEST(PromptsSwitch, AShaThatDidNotChangeThePromptIsRefusedWithTheReason)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    // Typed into the version field, as an operator would paste it.
    page.versionEdit()->setText(QString::fromStdString(world.unrelated.substr(0, 8)));
    QSignalSpy failed(&page, &PromptsPage::switchFailed);
    page.activateButton()->click();
    EXPECT_EQ(waitForDialog(page), nullptr);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(page.noticeIsError());
    const QString notice = page.noticeText();
    EXPECT_TRUE(notice.contains(QStringLiteral("did not change prompts/summarize.txt"))) << notice.toStdString();
    EXPECT_TRUE(notice.contains(QString::fromStdString(world.unrelated.substr(0, 7)))) << notice.toStdString();
    // An unknown SHA too.
    page.requestActivate(QStringLiteral("summarize"), QStringLiteral("0123456789abcdef"));
    ASSERT_TRUE(waitFor([&] { return failed.count() == 2; }));
    EXPECT_TRUE(page.noticeIsError());
    EXPECT_TRUE(activations(world).empty());
    EXPECT_TRUE(promptLog(world).empty());
}

TEST(PromptsSwitch, AReadOnlyStoreAndAnUnwritableDeployFolderAreRefusedClearly)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    // The deploy folder is a file: it cannot be created or written.
    writeFile(world.deployPath, "not a folder\n");
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    page.requestActivate(QStringLiteral("summarize"), QString::fromStdString(world.summarizeB));
    PromptSwitchDialog *dialog = waitForDialog(page);
    ASSERT_NE(dialog, nullptr);
    QSignalSpy failed(&page, &PromptsPage::switchFailed);
    dialog->reasonEdit()->setText(QStringLiteral("try"));
    dialog->confirmButton()->click();
    ASSERT_TRUE(waitFor([&] { return failed.count() == 1; }));
    EXPECT_TRUE(page.noticeIsError());
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("deploy folder cannot be written"))) << page.noticeText().toStdString();
    EXPECT_TRUE(activations(world).empty());

    // The same window with its store open read-only: refused before any dialog.
    w.window.context().setStore(QString::fromStdString(world.storePath), true);
    ASSERT_TRUE(waitFor([&] { return page.promptModel().rowCount() == 2 && !page.isLoading(); }));
    page.requestRollback(QStringLiteral("summarize"));
    EXPECT_EQ(page.switchDialog(), nullptr);
    EXPECT_TRUE(page.noticeIsError());
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("read-only"))) << page.noticeText().toStdString();
}

} // namespace
} // namespace vigil::test
