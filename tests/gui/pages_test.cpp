// Every page: reachable by its shortcut, drawn, and loaded from a store;
// shortcuts for the ranges; settings remembered.
#include "gui_test_support.h"
#include "test_support.h"

#include "pages/dashboard_page.h"
#include "pages/overview_page.h"
#include "pages/page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

void openAndWait(MainWindow &window, const std::string &store, OpenMode mode = OpenMode::Existing)
{
    QSignalSpy opened(&window, &MainWindow::storeOpened);
    window.openStore(QString::fromStdString(store), mode);
    ASSERT_TRUE(waitFor([&] { return opened.count() == 1; }));
}

TEST(Pages, EveryPageOpensByItsShortcutAndLoads)
{
    MainWindow window;
    window.setShowIngestSummaries(false);
    window.context().pinNow(kNowMs);
    window.resize(1300, 900);
    window.show();
    openAndWait(window, sharedStore().storePath);
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    ASSERT_GE(window.pages().size(), 2);
    for (int i = 0; i < window.pages().size(); ++i) {
        Page *page = window.pages().at(i);
        QTest::keyClick(&window, static_cast<Qt::Key>(Qt::Key_1 + i), Qt::ControlModifier);
        EXPECT_EQ(window.currentPage(), page) << page->pageId().toStdString();
        EXPECT_TRUE(page->isVisible());
        ASSERT_TRUE(waitFor([&] { return !page->isLoading() && !page->isStale(); })) << page->pageId().toStdString();
        const QImage image = page->grab().toImage();
        EXPECT_FALSE(image.isNull());
        EXPECT_GT(image.width(), 400);
    }
}

TEST(Pages, RangeShortcutsPickThePresets)
{
    MainWindow window;
    window.show();
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window)); // window shortcuts need the active window
    QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
    EXPECT_EQ(window.context().range(), TimeRange::sliding(RangePreset::Last6h));
    QTest::keyClick(&window, Qt::Key_5, Qt::AltModifier);
    EXPECT_EQ(window.context().range(), TimeRange::sliding(RangePreset::Last7d));
    QTest::keyClick(&window, Qt::Key_1, Qt::AltModifier);
    EXPECT_EQ(window.context().range(), TimeRange::sliding(RangePreset::Last15m));
    QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
    EXPECT_EQ(window.context().range(), TimeRange::sliding(RangePreset::Last7d));
}

TEST(Pages, AnEmptyStoreSaysItHoldsNothing)
{
    TempDir dir;
    MainWindow window;
    window.context().pinNow(kNowMs);
    window.show();
    openAndWait(window, dir.path("empty.db"), OpenMode::CreateIfMissing);
    OverviewPage *overview = window.overview();
    ASSERT_TRUE(waitFor([&] { return overview->snapshot() && !overview->isLoading(); }));
    EXPECT_TRUE(overview->bannerText().contains(QStringLiteral("holds no requests yet"))) << overview->bannerText().toStdString();
    EXPECT_EQ(overview->snapshot()->current.requests, 0u);
    window.showPage(QStringLiteral("dashboard"));
    ASSERT_TRUE(waitFor([&] { return window.dashboard()->snapshot() && !window.dashboard()->isLoading(); }));
    for (const DashboardBucket &b : window.dashboard()->snapshot()->buckets)
        EXPECT_EQ(b.requests, 0u);
}

TEST(Pages, WindowStatePageRangeAndStoreAreRemembered)
{
    TempDir dir;
    const std::string store = dir.path("remembered.db");
    {
        MainWindow window;
        window.restoreSettings();
        window.show();
        openAndWait(window, store, OpenMode::CreateIfMissing);
        window.context().setRange(TimeRange::sliding(RangePreset::Last24h));
        window.showPage(QStringLiteral("dashboard"));
        window.setTheme(ThemeMode::Dark);
        window.close();
    }
    MainWindow again;
    again.restoreSettings();
    EXPECT_EQ(again.context().range(), TimeRange::sliding(RangePreset::Last24h));
    EXPECT_EQ(again.currentPage(), static_cast<Page *>(again.dashboard()));
    EXPECT_EQ(again.theme(), ThemeMode::Dark);
    EXPECT_TRUE(isDark(QApplication::palette()));
    EXPECT_EQ(MainWindow::lastStoreFromSettings(), QString::fromStdString(store));
    again.setTheme(ThemeMode::Light);
    EXPECT_FALSE(isDark(QApplication::palette()));
}

TEST(Pages, MarkersReachEveryPagesCharts)
{
    MainWindow window;
    const QList<ChartMarker> markers{{kNowMs - 40 * 60'000, QStringLiteral("deploy"), Qt::blue}};
    window.setChartMarkers(markers);
    EXPECT_EQ(window.dashboard()->markers(), markers);
}

} // namespace
} // namespace vigil::test
