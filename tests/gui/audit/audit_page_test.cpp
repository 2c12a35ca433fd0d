// The Audit page in the real window (offscreen) over a real store: deep
// scrolling, search with highlights, parse errors, copy as JSON, same trace,
// show in dashboard, dashboard to audit, keyboard, the chain banner.
#include "audit_test_support.h"
#include "gui_test_support.h"
#include "test_support.h"

#include "audit/audit_detail_view.h"
#include "audit/audit_filter_bar.h"
#include "audit/audit_page.h"
#include "audit/audit_table_model.h"
#include "audit/chain_banner.h"
#include "charts/time_chart_view.h"
#include "pages/filter_bar.h"
#include "pages/dashboard_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "record/price_table.h"
#include "record/record_parser.h"
#include "store/chain_verifier.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <gtest/gtest.h>

#include <sqlite3.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

const TimeRange kAll = TimeRange::custom(kNowMs - kAuditSpanMs - 1000, kNowMs + 1000);

AuditFilter allCalls()
{
    AuditFilter f;
    f.window = kAll.resolve(kNowMs);
    return f;
}

class AuditWindow : public ::testing::Test
{
protected:
    void open(const std::string &store)
    {
        window.setShowIngestSummaries(false);
        window.context().pinNow(kNowMs);
        window.context().setRange(kAll);
        window.resize(1500, 950);
        window.show();
        window.activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(&window)); // shortcuts need the active window
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(QString::fromStdString(store));
        ASSERT_TRUE(waitFor([&] { return opened.count() == 1; }));
        page = qobject_cast<AuditPage *>(window.page(QStringLiteral("audit")));
        ASSERT_NE(page, nullptr);
        window.showPage(QStringLiteral("audit"));
        waitLoaded();
    }
    void waitLoaded()
    {
        ASSERT_TRUE(waitFor([&] { return !page->isLoading() && !page->isStale() && !page->model()->isFetching(); }));
    }
    int rowOf(const std::string &requestId)
    {
        for (int i = 0; i < page->model()->rowCount(); ++i) {
            if (page->model()->rowAt(i)->record.requestId == requestId)
                return i;
        }
        return -1;
    }
    void selectCall(const std::string &requestId)
    {
        page->filterBySameTrace(QString::fromStdString(storedCall(auditStore(), requestId)->record.traceId));
        waitLoaded();
        const int row = rowOf(requestId);
        ASSERT_GE(row, 0) << requestId;
        page->selectRow(row);
        ASSERT_TRUE(waitFor([&] {
            return !page->isDetailLoading() && page->detail()->call() && page->detail()->call()->record.requestId == requestId;
        }));
    }

    MainWindow window;
    AuditPage *page = nullptr;
};

TEST_F(AuditWindow, ThePageComesAfterTheDashboardAndListsTheCalls)
{
    open(auditStore().storePath);
    EXPECT_GT(window.pages().indexOf(page), window.pages().indexOf(window.dashboard()));
    EXPECT_EQ(page->title(), QStringLiteral("Audit"));
    EXPECT_EQ(window.currentPage(), page);
    const std::vector<std::string> expected = bruteForceIds(auditStore(), allCalls(), AuditSort::TimeDesc);
    ASSERT_GT(page->model()->rowCount(), 0);
    EXPECT_LT(page->model()->rowCount(), kAuditCalls); // chunks, not everything at once
    EXPECT_EQ(loadedIds(*page->model()), std::vector<std::string>(expected.begin(), expected.begin() + page->model()->rowCount()));
    EXPECT_TRUE(page->table()->isColumnHidden(AuditTableModel::Snippet));
    ASSERT_TRUE(waitFor([&] { return page->totalCalls().has_value(); }));
    EXPECT_EQ(*page->totalCalls(), kAuditCalls);
    EXPECT_TRUE(page->statusText().contains(QStringLiteral("of 3,000"))) << page->statusText().toStdString();
    EXPECT_FALSE(page->grab().toImage().isNull());
}

TEST_F(AuditWindow, ScrollingToTheBottomFetchesEveryChunkInOrder)
{
    open(auditStore().storePath);
    page->table()->sortByColumn(AuditTableModel::Latency, Qt::AscendingOrder);
    waitLoaded();
    ASSERT_TRUE(waitFor(
        [&] {
            page->table()->scrollToBottom(); // the view asks for more as the end comes into sight
            return page->model()->atEnd() && !page->model()->isFetching();
        },
        120'000));
    EXPECT_EQ(loadedIds(*page->model()), bruteForceIds(auditStore(), allCalls(), AuditSort::LatencyAsc));
    EXPECT_TRUE(page->statusText().startsWith(QStringLiteral("3,000 calls"))) << page->statusText().toStdString();
}

TEST_F(AuditWindow, PageFiltersAndTheWindowFiltersNarrowTheTable)
{
    open(auditStore().storePath);
    page->auditFilters()->setOutcomeChoice(1); // failures
    page->auditFilters()->setLatencyAboveMs(1000);
    LabelFilter labels;
    labels.tenant = "initech";
    window.context().setFilter(labels);
    waitLoaded();
    AuditFilter f = allCalls();
    f.labels = labels;
    for (Outcome o : {Outcome::Error, Outcome::Timeout, Outcome::Fallback, Outcome::Refused, Outcome::Blocked})
        f.outcomes.insert(o);
    f.latencyAboveMs = 1000;
    EXPECT_EQ(fetchAllIds(*page->model()), bruteForceIds(auditStore(), f, AuditSort::TimeDesc));
    EXPECT_EQ(page->labelFilters()->filter().tenant, std::optional<std::string>("initech"));
}

TEST_F(AuditWindow, SearchShowsSnippetsAndHighlightsTheDetail)
{
    open(auditStore().storePath);
    EXPECT_TRUE(page->table()->hasFocus()); // the page took the keys when it was shown
    QTest::keyClick(page->table(), Qt::Key_F, Qt::ControlModifier);
    EXPECT_TRUE(page->searchEdit()->hasFocus());
    QTest::keyClicks(page->searchEdit(), QStringLiteral("zebrafish"));
    QTest::keyClick(page->searchEdit(), Qt::Key_Return);
    waitLoaded();
    EXPECT_FALSE(page->table()->isColumnHidden(AuditTableModel::Snippet));
    std::vector<std::string> got = fetchAllIds(*page->model());
    std::vector<std::string> expected = auditStore().zebrafishIds;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
    ASSERT_GT(page->model()->rowCount(), 0);
    EXPECT_TRUE(page->model()->index(0, AuditTableModel::Snippet).data().toString().contains(QStringLiteral("zebrafish")));
    page->selectRow(0);
    ASSERT_TRUE(waitFor([&] { return !page->isDetailLoading() && page->detail()->call(); }));
    EXPECT_GE(page->detail()->rendered().highlighted, 1);
    EXPECT_TRUE(page->detail()->rendered().html.contains(QStringLiteral(">zebrafish</span>")));
    EXPECT_TRUE(page->detail()->browser()->toPlainText().contains(QStringLiteral("The zebrafish team confirmed it.")));
}

TEST_F(AuditWindow, AMistakeInTheSearchIsShownWithItsPosition)
{
    open(auditStore().storePath);
    const AuditFilter before = page->model()->filter();
    EXPECT_FALSE(page->setSearchText(QStringLiteral("refund AND (ship")));
    EXPECT_TRUE(page->searchError().contains(QStringLiteral("position"))) << page->searchError().toStdString();
    EXPECT_FALSE(page->searchError().contains(QStringLiteral("SQL"), Qt::CaseInsensitive));
    EXPECT_FALSE(page->searchError().contains(QStringLiteral("fts5"), Qt::CaseInsensitive));
    EXPECT_FALSE(page->model()->filter().search.has_value()); // the table was left as it was
    EXPECT_EQ(page->model()->filter().window.fromMs, before.window.fromMs);
    EXPECT_FALSE(page->setSearchText(QStringLiteral("\"unclosed phrase")));
    EXPECT_TRUE(page->searchError().contains(QStringLiteral("position 1"))) << page->searchError().toStdString();
    EXPECT_TRUE(page->setSearchText(QStringLiteral("refund")));
    EXPECT_TRUE(page->searchError().isEmpty());
    waitLoaded();
    EXPECT_TRUE(page->model()->filter().search.has_value());
}

TEST_F(AuditWindow, CopyAsJsonRoundTripsThroughTheParser)
{
    open(auditStore().storePath);
    selectCall("call-120"); // a chat input, retrieval context and an action
    page->table()->setFocus();
    QApplication::clipboard()->clear();
    QTest::keyClick(page->table(), Qt::Key_C, Qt::ControlModifier);
    ASSERT_TRUE(waitFor([&] { return !QApplication::clipboard()->text().isEmpty(); }));
    const std::string json = QApplication::clipboard()->text().toStdString();
    EXPECT_TRUE(QJsonDocument::fromJson(QByteArray::fromStdString(json)).isObject());
    RecordParser parser(&PriceTable::builtin());
    Record copied;
    ParseError error;
    ASSERT_TRUE(parser.parseText(json, copied, error)) << json;
    Record stored = storedCall(auditStore(), "call-120")->record;
    // Not part of the record: set on the way into the store.
    copied.rowHash = stored.rowHash;
    copied.redacted = stored.redacted;
    EXPECT_EQ(copied, stored) << json;
    EXPECT_EQ(json.find('\n'), std::string::npos); // one NDJSON line

    // The button does the same.
    QApplication::clipboard()->clear();
    page->detail()->copyButton()->click();
    EXPECT_EQ(QApplication::clipboard()->text().toStdString(), json);
}

TEST_F(AuditWindow, SameTraceAndSameSessionFilterTheTable)
{
    open(auditStore().storePath);
    page->selectRow(5);
    ASSERT_TRUE(waitFor([&] { return !page->isDetailLoading() && page->detail()->call(); }));
    const Record call = page->detail()->call()->record;
    page->detail()->sameTraceButton()->click();
    waitLoaded();
    AuditFilter f = allCalls();
    f.traceId = call.traceId;
    EXPECT_EQ(fetchAllIds(*page->model()), bruteForceIds(auditStore(), f, AuditSort::TimeDesc));
    EXPECT_EQ(page->model()->rowCount(), 4);
    EXPECT_TRUE(page->callFilterText().contains(QString::fromStdString(call.traceId)));
    // The selected call is still selected and shown.
    ASSERT_TRUE(waitFor([&] { return !page->isDetailLoading() && page->detail()->call(); }));
    EXPECT_EQ(page->detail()->call()->record.requestId, call.requestId);

    page->detail()->sameSessionButton()->click();
    waitLoaded();
    f.traceId.reset();
    f.sessionId = call.sessionId;
    EXPECT_EQ(fetchAllIds(*page->model()), bruteForceIds(auditStore(), f, AuditSort::TimeDesc));
    EXPECT_EQ(page->model()->rowCount(), kAuditCalls / 50);

    page->clearCallFilters();
    waitLoaded();
    EXPECT_FALSE(page->model()->filter().sessionId.has_value());
}

TEST_F(AuditWindow, ShowInDashboardPicksThatMinuteAndThoseLabels)
{
    open(auditStore().storePath);
    selectCall("call-1001");
    const Record call = page->detail()->call()->record;
    page->detail()->dashboardButton()->click();
    EXPECT_EQ(window.currentPage(), window.dashboard());
    const TimeWindow w = window.context().range().resolve(kNowMs);
    EXPECT_TRUE(window.context().range().isCustom());
    EXPECT_EQ(w.lengthMs(), 60'000);
    EXPECT_LE(w.fromMs, call.tsMs);
    EXPECT_GT(w.toMs, call.tsMs);
    EXPECT_EQ(w.fromMs % 60'000, 0);
    const LabelFilter f = window.context().filter();
    EXPECT_EQ(f.tenant, std::optional<std::string>(call.tenant));
    EXPECT_EQ(f.model, std::optional<std::string>(call.model));
    EXPECT_EQ(f.provider, std::optional<std::string>(call.provider));
    ASSERT_TRUE(waitFor([&] { return window.dashboard()->snapshot() && !window.dashboard()->isLoading(); }));
    EXPECT_EQ(window.dashboard()->snapshot()->request.filter.tenant, f.tenant);
    EXPECT_GE(window.dashboard()->snapshot()->totals.requests, 1u);
}

TEST_F(AuditWindow, DoubleClickOnADashboardBucketOpensItsCalls)
{
    open(auditStore().storePath);
    window.context().setRange(TimeRange::sliding(RangePreset::Last1h));
    LabelFilter labels;
    labels.model = "gpt-4o-mini";
    window.context().setFilter(labels);
    window.showPage(QStringLiteral("dashboard"));
    DashboardPage *dashboard = window.dashboard();
    ASSERT_TRUE(waitFor([&] { return dashboard->snapshot() && !dashboard->isLoading(); }));
    TimeChartView *chart = dashboard->timeCharts().first();
    const std::int64_t bucketMs = chart->bucketMs();
    const std::int64_t bucket = chart->window().fromMs + 20 * bucketMs;
    const QPoint at = chart->viewportPointAt(bucket + bucketMs / 2);
    QTest::mouseDClick(chart->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    ASSERT_TRUE(waitFor([&] { return window.currentPage() == page; }));
    waitLoaded();
    const TimeWindow w = window.context().range().resolve(kNowMs);
    EXPECT_EQ(w.fromMs, bucket);
    EXPECT_EQ(w.toMs, bucket + bucketMs);
    AuditFilter f;
    f.window = w;
    f.labels = labels;
    const std::vector<std::string> expected = bruteForceIds(auditStore(), f, AuditSort::TimeDesc);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(fetchAllIds(*page->model()), expected);
}

TEST_F(AuditWindow, EnterOnARowFocusesTheDetail)
{
    open(auditStore().storePath);
    page->table()->setFocus();
    page->selectRow(2);
    QTest::keyClick(page->table(), Qt::Key_Return);
    EXPECT_TRUE(page->detail()->browser()->hasFocus());
}

TEST_F(AuditWindow, ARedactedCallSaysSo)
{
    open(auditStore().storePath);
    ASSERT_FALSE(auditStore().redactedIds.empty());
    selectCall(auditStore().redactedIds.front());
    EXPECT_TRUE(page->detail()->redactionNotice().startsWith(QStringLiteral("Redacted")));
    EXPECT_FALSE(page->detail()->browser()->toPlainText().contains(QStringLiteral("jane.doe@example.com")));
    selectCall("call-1");
    EXPECT_TRUE(page->detail()->redactionNotice().isEmpty());
}

TEST_F(AuditWindow, AnIntactChainShowsNoBanner)
{
    open(auditStore().storePath);
    ASSERT_TRUE(waitFor([&] { return page->lastVerifyReport().has_value(); }));
    EXPECT_TRUE(page->lastVerifyReport()->ok);
    EXPECT_TRUE(page->chainBanner()->message().isEmpty());
    EXPECT_TRUE(page->chainStatus().startsWith(QStringLiteral("Chain holds: 3,000 calls"))) << page->chainStatus().toStdString();
}

void sqliteExec(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 30'000); // the window may be writing (the search index, its own checks)
    char *error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

TEST_F(AuditWindow, AStoreEditedByHandShowsTheRedBannerNamingTheRow)
{
    TempDir dir;
    const std::string store = dir.path("tampered.db");
    copyAuditStore(store);
    sqliteExec(store, "UPDATE requests SET output = 'Nothing to see here.' WHERE request_id = 'call-1234'");
    open(store);
    ASSERT_TRUE(waitFor([&] { return page->lastVerifyReport().has_value(); }));
    ASSERT_FALSE(page->lastVerifyReport()->ok);
    const QString banner = page->chainBanner()->message();
    EXPECT_TRUE(page->chainBanner()->isVisible());
    EXPECT_TRUE(banner.contains(QStringLiteral("call-1234"))) << banner.toStdString();
    EXPECT_TRUE(banner.contains(QStringLiteral("changed"))) << banner.toStdString();
    // The same break as the core verifier names.
    ChainVerifier verifier(store);
    const VerifyReport report = verifier.verify();
    ASSERT_TRUE(report.firstBreak);
    EXPECT_TRUE(banner.contains(ChainBanner::describe(*report.firstBreak).toHtmlEscaped()));

    // Verify again on demand after the damage is undone: the banner goes.
    const Record original = storedCall(auditStore(), "call-1234")->record;
    sqliteExec(store, "UPDATE requests SET output = '" + original.output.value_or("") + "' WHERE request_id = 'call-1234'");
    page->verifyChain();
    ASSERT_TRUE(waitFor([&] { return !page->isVerifying(); }));
    EXPECT_TRUE(page->lastVerifyReport()->ok);
    EXPECT_TRUE(page->chainBanner()->message().isEmpty());
}

TEST_F(AuditWindow, AnAnswerForTheFilterTheUserLeftIsNotShown)
{
    open(auditStore().storePath);
    page->auditFilters()->setUser(QStringLiteral("u1"));
    page->auditFilters()->setUser(QStringLiteral("u2")); // before u1's rows land
    waitLoaded();
    AuditFilter f = allCalls();
    f.user = "u2";
    EXPECT_EQ(fetchAllIds(*page->model()), bruteForceIds(auditStore(), f, AuditSort::TimeDesc));
}

} // namespace
} // namespace vigil::test

namespace vigil::test {
namespace {

using namespace vigil::ui;

// New calls do not pull the rows from under someone reading one; the clock
// moving on alone reloads nothing.
TEST(AuditLive, NewCallsAreOfferedRatherThanPulledFromUnderTheReader)
{
    TempDir dir;
    const std::string store = dir.path("live.db");
    copyAuditStore(store);
    MainWindow window;
    window.setShowIngestSummaries(false);
    window.context().pinNow(kNowMs);
    window.context().setRange(TimeRange::sliding(RangePreset::Last6h));
    window.show();
    QSignalSpy opened(&window, &MainWindow::storeOpened);
    window.openStore(QString::fromStdString(store));
    ASSERT_TRUE(waitFor([&] { return opened.count() == 1; }));
    auto *page = qobject_cast<AuditPage *>(window.page(QStringLiteral("audit")));
    window.showPage(QStringLiteral("audit"));
    const auto settled = [&] { return !page->isLoading() && !page->isStale() && !page->model()->isFetching(); };
    ASSERT_TRUE(waitFor(settled));
    QSignalSpy resets(page->model(), &QAbstractItemModel::modelReset);
    window.context().tick();
    page->refreshNow();
    ASSERT_TRUE(waitFor(settled));
    EXPECT_EQ(resets.count(), 0); // the clock alone changes nothing shown

    page->selectRow(3);
    const std::string reading = page->model()->rowAt(3)->record.requestId;
    buildStore(store, dir.path("new.ndjson"), recordLine("brand-new", kNowMs - 1000) + "\n");
    window.context().notifyDataArrived();
    page->refreshNow();
    ASSERT_TRUE(waitFor(settled));
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(page->model()->rowAt(3)->record.requestId, reading);
    auto *offer = page->findChild<QPushButton *>(QStringLiteral("auditShowNewer"));
    ASSERT_NE(offer, nullptr);
    EXPECT_TRUE(offer->isVisible());
    offer->click();
    ASSERT_TRUE(waitFor(settled));
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(page->model()->rowAt(0)->record.requestId, "brand-new");
    EXPECT_FALSE(offer->isVisible());
}

} // namespace
} // namespace vigil::test
