// The page keeps up without a restart: new commits appear, switches made by
// another process show, markers reach the dashboard; and where the
// repository comes from (the store, a chosen folder, --repo), with a clear
// error when it cannot be read.
#include "prompts_world.h"

#include "gui_test_support.h"

#include "prompts/prompt_list_model.h"
#include "prompts/prompts_page.h"
#include "prompts/repository_location.h"
#include "prompts/version_history_model.h"
#include "pages/dashboard_page.h"
#include "pages/overview_page.h"

#include "prompts/prompt_registry.h"
#include "prompts/prompt_switcher.h"

#include <QMenuBar>

#include "prompts/prompt_markers.h"
#include "shell/console_context.h"
#include "util/time_range.h"
#include <QPushButton>
#include <QDir>
#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

TEST(PromptsLive, ANewCommitAppearsWithoutARestart)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    ASSERT_EQ(page.historyModel().snapshot()->versions.size(), 3u);

    // A commit made by someone else while the window is open; nobody pokes
    // the page: its own timer notices.
    const std::string d = world.repo->commit("prompts/summarize.txt", std::string(kTextC) + "Answer in English.\n",
                                             "summarize: say the language");
    const std::string e = world.repo->commit("prompts/translate.j2", "Translate {{ text }} to {{ language }}.\n",
                                             "Add the translate prompt");
    ASSERT_TRUE(waitFor([&] { return page.promptModel().rowCount() == 3 && page.historyModel().snapshot() &&
                                     page.historyModel().snapshot()->versions.size() == 4; },
                        PromptsPage::kPollMs * 6));
    EXPECT_EQ(page.historyModel().version(0)->sha, d);
    EXPECT_EQ(page.historyModel().version(0)->subject, "summarize: say the language");
    EXPECT_EQ(page.promptModel().row(page.promptModel().rowOf("translate"))->latestSha, e);
}

TEST(PromptsLive, ASwitchMadeElsewhereShowsAndMarksTheCharts)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;
    EXPECT_TRUE(w.window.dashboard()->markers().isEmpty());

    // As `vigilctl prompt activate` would, from another process's point of view.
    PromptRegistry registry({world.repoPath, "prompts"});
    PromptSwitcher switcher(registry, world.storePath, world.deployPath);
    switcher.activate("summarize", world.summarizeA, std::string("baseline"));
    switcher.activate("classify", world.classifyA, std::string("baseline"));
    switcher.activate("summarize", world.summarizeC, std::string("five bullets"));

    page.pollRepository();
    ASSERT_TRUE(historyShown(page, QStringLiteral("summarize"), 2));
    EXPECT_TRUE(page.historyModel().isActive(page.historyModel().rowOfSha(world.summarizeC)));
    EXPECT_EQ(page.historyModel().snapshot()->rollbackTarget.value_or(""), world.summarizeA);
    EXPECT_TRUE(page.rollbackButton()->isEnabled());

    // Markers: every activation in the range, on the dashboard and the overview.
    page.markers()->reload();
    ASSERT_TRUE(waitFor([&] { return w.window.dashboard()->markers().size() == 3; }));
    QStringList labels;
    for (const ChartMarker &m : w.window.dashboard()->markers())
        labels << m.label;
    EXPECT_EQ(labels, (QStringList{QStringLiteral("summarize@") + QString::fromStdString(world.summarizeA.substr(0, 7)),
                                   QStringLiteral("classify@") + QString::fromStdString(world.classifyA.substr(0, 7)),
                                   QStringLiteral("summarize@") + QString::fromStdString(world.summarizeC.substr(0, 7))}));
    // A range that holds none of them clears them.
    w.window.context().setRange(TimeRange::custom(world.recordsEndMs - 48 * 3600'000LL, world.recordsEndMs - 47 * 3600'000LL));
    ASSERT_TRUE(waitFor([&] { return w.window.dashboard()->markers().isEmpty(); }));
}

TEST(PromptsLive, AStoreWithoutARepositorySaysHowToChooseOne)
{
    PromptsWorld world; // the store does not name the repository
    PromptsWindow w(world, {});
    PromptsPage &page = *w.page;
    ASSERT_TRUE(waitFor([&] { return !page.isLoading() && !page.noticeText().isEmpty(); }));
    EXPECT_FALSE(page.noticeIsError());
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("No prompts repository"))) << page.noticeText().toStdString();
    EXPECT_EQ(page.promptModel().rowCount(), 0);
    EXPECT_FALSE(page.activateButton()->isEnabled());
    // The window's Prompts menu offers the choice.
    bool found = false;
    for (QAction *menu : w.window.menuBar()->actions())
        found = found || menu->text() == QStringLiteral("&Prompts");
    EXPECT_TRUE(found);

    // Chosen in the window: remembered for this store in the settings.
    page.useRepository(QString::fromStdString(world.repoPath));
    ASSERT_TRUE(waitFor([&] { return page.promptModel().rowCount() == 2 && !page.isLoading(); }));
    EXPECT_TRUE(page.locationLine().contains(QStringLiteral("chosen in this window")));
    EXPECT_EQ(chosenPromptFolders(QString::fromStdString(world.storePath)).repository, QString::fromStdString(world.repoPath));
    // A new window on the same store finds it again.
    PromptsWindow again(world, QStringLiteral("summarize"));
    EXPECT_EQ(again.page->historyModel().snapshot()->versions.size(), 3u);
    rememberPromptRepository(QString::fromStdString(world.storePath), {});
}

TEST(PromptsLive, AnUnreadableRepositoryIsAVisibleErrorAndRecovers)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world, {});
    PromptsPage &page = *w.page;
    ASSERT_TRUE(waitFor([&] { return page.promptModel().rowCount() == 2 && !page.isLoading(); }));

    // --repo pointing at a folder that is not a repository.
    const std::string notRepo = world.dir.path("not-a-repo");
    QDir().mkpath(QString::fromStdString(notRepo));
    page.setRepositoryOverride(QString::fromStdString(notRepo));
    ASSERT_TRUE(waitFor([&] { return !page.isLoading() && page.noticeIsError(); }));
    EXPECT_TRUE(page.noticeText().contains(QStringLiteral("cannot be read"))) << page.noticeText().toStdString();
    EXPECT_TRUE(page.noticeText().contains(QString::fromStdString(notRepo))) << page.noticeText().toStdString();
    EXPECT_EQ(page.promptModel().rowCount(), 0);
    EXPECT_TRUE(page.locationLine().contains(QStringLiteral("--repo")));

    // It becomes a repository: the next poll picks it up.
    PromptRepo late(notRepo);
    late.commit("prompts/hello.txt", "Hello.\n", "Add hello");
    page.pollRepository();
    ASSERT_TRUE(waitFor([&] { return page.promptModel().rowCount() == 1 && !page.isLoading(); }));
    EXPECT_FALSE(page.noticeIsError());
    EXPECT_EQ(page.promptModel().row(0)->name, "hello");
}

} // namespace
} // namespace vigil::test
