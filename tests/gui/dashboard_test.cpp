// The dashboard: every chart follows the range and the filters; drag, click
// and hover on a chart; markers.
#include "gui_test_support.h"

#include "charts/time_chart_view.h"
#include "pages/dashboard_page.h"
#include "pages/filter_bar.h"
#include "pages/searchable_combo.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/format.h"

#include "store/rollup_accumulator.h"

#include <QAreaSeries>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QMouseEvent>
#include <QTest>
#include <QToolTip>
#include <QXYSeries>

#include <gtest/gtest.h>

#include <memory>

namespace vigil::test {
namespace {

using namespace vigil::ui;

// Everything a chart draws, as numbers: the points of every series and the
// values and categories of every bar set.
QList<QList<QPointF>> seriesData(QChart *chart)
{
    QList<QList<QPointF>> out;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series)) {
            out << xy->points();
        } else if (auto *area = qobject_cast<QAreaSeries *>(series)) {
            out << area->upperSeries()->points();
        } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            for (QBarSet *set : bars->barSets()) {
                QList<QPointF> values;
                for (int i = 0; i < set->count(); ++i)
                    values << QPointF(i, set->at(i));
                out << values;
            }
        }
    }
    return out;
}

class DashboardTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        store = sharedStore().storePath;
        window = std::make_unique<MainWindow>();
        window->setShowIngestSummaries(false);
        window->context().pinNow(kNowMs);
        window->resize(1400, 1000);
        window->show();
        window->showPage(QStringLiteral("dashboard"));
        window->openStore(QString::fromStdString(store));
        ASSERT_TRUE(waitFor([this] { return window->context().hasStore(); }));
        dashboard = window->dashboard();
        ASSERT_TRUE(settled());
    }

    bool settled()
    {
        return waitFor([this] {
            const DashboardSnapshot *s = dashboard->snapshot();
            if (!s || dashboard->isLoading())
                return false;
            const TimeWindow expected = window->context().range().resolve(kNowMs);
            return s->request.window.toMs == expected.toMs &&
                   s->request.window.fromMs == alignToBuckets(expected, s->request.bucketMs).fromMs &&
                   sameFilter(s->request.filter, window->context().filter());
        });
    }

    std::map<QString, QList<QList<QPointF>>> everySeries() const
    {
        std::map<QString, QList<QList<QPointF>>> out;
        for (QChartView *view : dashboard->charts())
            out[view->objectName()] = seriesData(view->chart());
        return out;
    }

    void expectEveryChartChanged(const std::map<QString, QList<QList<QPointF>>> &before)
    {
        const auto after = everySeries();
        ASSERT_EQ(after.size(), before.size());
        ASSERT_EQ(after.size(), 7u);
        for (const auto &[name, series] : after) {
            EXPECT_NE(series, before.at(name)) << name.toStdString() << " did not change";
            bool anyPoint = false;
            for (const auto &s : series)
                anyPoint = anyPoint || !s.isEmpty();
            EXPECT_TRUE(anyPoint) << name.toStdString() << " is empty";
        }
    }

    std::string store;
    std::unique_ptr<MainWindow> window;
    DashboardPage *dashboard = nullptr;
};

TEST_F(DashboardTest, BucketSizeFollowsTheRange)
{
    EXPECT_EQ(dashboard->snapshot()->request.bucketMs, kMinuteMs);
    EXPECT_EQ(dashboard->snapshot()->buckets.size(), 61u); // the hour starts mid-minute: 61 one-minute buckets
    window->context().setRange(TimeRange::sliding(RangePreset::Last6h));
    ASSERT_TRUE(settled());
    EXPECT_EQ(dashboard->snapshot()->request.bucketMs, 5 * kMinuteMs);
    window->context().setRange(TimeRange::sliding(RangePreset::Last7d));
    ASSERT_TRUE(settled());
    EXPECT_EQ(dashboard->snapshot()->request.bucketMs, kHourMs);
}

TEST_F(DashboardTest, ChangingTheRangeUpdatesEveryChart)
{
    const auto before = everySeries();
    window->context().setRange(TimeRange::sliding(RangePreset::Last6h));
    ASSERT_TRUE(settled());
    expectEveryChartChanged(before);
    // The requests drawn add up to what vigilctl counts for the same window.
    const DashboardSnapshot &s = *dashboard->snapshot();
    const QJsonObject errors = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("errors"),
                                                    QStringLiteral("--from"), rfc3339(s.request.window.fromMs),
                                                    QStringLiteral("--to"), rfc3339(s.request.window.toMs)});
    std::uint64_t drawn = 0;
    for (const DashboardBucket &b : s.buckets)
        drawn += b.requests;
    EXPECT_EQ(drawn, static_cast<std::uint64_t>(errors.value(QStringLiteral("requests")).toInteger()));
}

TEST_F(DashboardTest, ChangingAFilterUpdatesEveryChart)
{
    ASSERT_TRUE(waitFor([this] { return !dashboard->filterOptions().tenants.empty(); }));
    const auto before = everySeries();
    // Pick the tenant the way a user does: in the combo box.
    SearchableCombo *tenant = dashboard->filterBar()->tenantCombo();
    const int row = tenant->findText(QStringLiteral("acme"));
    ASSERT_GT(row, 0);
    tenant->setCurrentIndex(row);
    Q_EMIT tenant->activated(row);
    EXPECT_EQ(window->context().filter().tenant, std::optional<std::string>("acme"));
    ASSERT_TRUE(settled());
    expectEveryChartChanged(before);

    const DashboardSnapshot &s = *dashboard->snapshot();
    const QJsonObject errors = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("errors"),
                                                    QStringLiteral("--from"), rfc3339(s.request.window.fromMs),
                                                    QStringLiteral("--to"), rfc3339(s.request.window.toMs),
                                                    QStringLiteral("--tenant"), QStringLiteral("acme")});
    EXPECT_EQ(s.totals.requests, static_cast<std::uint64_t>(errors.value(QStringLiteral("requests")).toInteger()));
    ASSERT_EQ(s.spendByTenant.size(), 1u);
    EXPECT_EQ(s.spendByTenant.front().tenant, "acme");

    // A model filter on top narrows further: every chart changes again.
    const auto withTenant = everySeries();
    LabelFilter f = window->context().filter();
    f.model = dashboard->filterOptions().models.front();
    window->context().setFilter(f);
    ASSERT_TRUE(settled());
    EXPECT_EQ(dashboard->filterBar()->modelCombo()->currentValue(), QString::fromStdString(*f.model));
    const auto withModel = everySeries();
    int changed = 0;
    for (const auto &[name, series] : withModel)
        changed += series != withTenant.at(name) ? 1 : 0;
    EXPECT_GE(changed, 6); // spend by tenant may keep its one bar's height only by chance
}

TEST_F(DashboardTest, AnAnswerForAnOldRangeIsNeverShown)
{
    // Three ranges in a row without the event loop running in between: only
    // the last may land on the charts.
    window->context().setRange(TimeRange::sliding(RangePreset::Last7d));
    window->context().setRange(TimeRange::sliding(RangePreset::Last24h));
    window->context().setRange(TimeRange::sliding(RangePreset::Last15m));
    int loads = 0;
    QObject::connect(dashboard, &Page::loaded, dashboard, [&] {
        ++loads;
        EXPECT_LE(dashboard->snapshot()->request.window.lengthMs(), 16 * kMinuteMs);
    });
    ASSERT_TRUE(settled());
    EXPECT_EQ(dashboard->snapshot()->request.bucketMs, kMinuteMs);
    EXPECT_LE(dashboard->snapshot()->buckets.size(), 16u);
    EXPECT_GE(loads, 1);
}

TEST_F(DashboardTest, DraggingAcrossAChartZoomsEveryChart)
{
    TimeChartView *latency = dashboard->timeCharts().front();
    const DashboardSnapshot before = *dashboard->snapshot();
    const std::int64_t from = before.request.window.fromMs + 10 * kMinuteMs + 20'000;
    const std::int64_t to = before.request.window.fromMs + 30 * kMinuteMs + 20'000;
    const QPoint a = latency->viewportPointAt(from), b = latency->viewportPointAt(to);
    QWidget *viewport = latency->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, {}, a);
    QMouseEvent move(QEvent::MouseMove, b, viewport->mapToGlobal(b), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, b);

    const TimeRange range = window->context().range();
    ASSERT_TRUE(range.isCustom());
    const TimeWindow zoomed = range.resolve(kNowMs);
    // Snapped outwards to whole buckets around the dragged span.
    EXPECT_EQ(zoomed.fromMs, floorTo(from, kMinuteMs));
    EXPECT_EQ(zoomed.toMs, floorTo(to, kMinuteMs) + kMinuteMs);
    ASSERT_TRUE(settled());
    for (TimeChartView *v : dashboard->timeCharts())
        EXPECT_EQ(v->window().fromMs, zoomed.fromMs) << v->objectName().toStdString();
    // Back returns to the hour.
    window->context().goBack();
    EXPECT_EQ(window->context().range(), TimeRange::sliding(RangePreset::Last1h));
}

TEST_F(DashboardTest, ClickingABucketNarrowsEveryChartToIt)
{
    TimeChartView *errors = dashboard->timeCharts().at(2);
    const DashboardSnapshot before = *dashboard->snapshot();
    const DashboardBucket &bucket = before.buckets.at(20);
    const QPoint at = errors->viewportPointAt(bucket.startMs + kMinuteMs / 2);
    QTest::mouseClick(errors->viewport(), Qt::LeftButton, {}, at);
    const TimeWindow narrowed = window->context().range().resolve(kNowMs);
    EXPECT_EQ(narrowed.fromMs, bucket.startMs);
    EXPECT_EQ(narrowed.toMs, bucket.startMs + kMinuteMs);
    ASSERT_TRUE(settled());
    ASSERT_EQ(dashboard->snapshot()->buckets.size(), 1u);
    EXPECT_EQ(dashboard->snapshot()->buckets.front().requests, bucket.requests);
}

TEST_F(DashboardTest, HoverShowsTheBucketsExactValues)
{
    TimeChartView *latency = dashboard->timeCharts().front();
    const DashboardSnapshot &s = *dashboard->snapshot();
    const DashboardBucket &bucket = s.buckets.at(30);
    const QPoint at = latency->viewportPointAt(bucket.startMs + kMinuteMs / 2);
    QMouseEvent move(QEvent::MouseMove, at, latency->viewport()->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(latency->viewport(), &move);
    ASSERT_EQ(latency->hoveredBucket(), std::optional<std::int64_t>(bucket.startMs));
    ASSERT_TRUE(waitFor([] { return QToolTip::isVisible(); }, 5000));
    const QString tip = QToolTip::text();
    EXPECT_TRUE(tip.contains(formatMs(bucket.p95))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(formatMs(bucket.p99))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(formatCount(static_cast<long long>(bucket.requests)))) << tip.toStdString();
}

TEST_F(DashboardTest, MarkersAreDrawnOnEveryChart)
{
    const DashboardSnapshot &s = *dashboard->snapshot();
    const std::int64_t at = s.request.window.fromMs + 25 * kMinuteMs;
    const QColor colour(255, 0, 255);
    window->setChartMarkers({{at, QStringLiteral("answer-question@a73cf6b"), colour}});
    for (TimeChartView *view : dashboard->timeCharts()) {
        ASSERT_EQ(view->markers().size(), 1);
        const QImage image = view->grab().toImage();
        const QPoint p = view->viewportPointAt(at) + view->viewport()->pos();
        // The dashed line is magenta somewhere along the plot's height at that x.
        int magenta = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int dx = -1; dx <= 1; ++dx) {
                const QColor c = image.pixelColor(std::clamp(p.x() + dx, 0, image.width() - 1), y);
                magenta += (c.red() > 200 && c.blue() > 200 && c.green() < 90) ? 1 : 0;
            }
        }
        EXPECT_GT(magenta, 20) << view->objectName().toStdString();
    }
}

TEST_F(DashboardTest, ClickingATenantBarFiltersToIt)
{
    QChartView *tenants = dashboard->charts().at(4);
    ASSERT_EQ(tenants->objectName(), QStringLiteral("tenantSpendChart"));
    auto *series = qobject_cast<QHorizontalBarSeries *>(tenants->chart()->series().front());
    ASSERT_NE(series, nullptr);
    QBarSet *set = series->barSets().front();
    ASSERT_GT(set->count(), 1);
    // The top spender is drawn last (on top).
    const std::string top = dashboard->snapshot()->spendByTenant.front().tenant;
    Q_EMIT set->clicked(static_cast<int>(set->count() - 1));
    EXPECT_EQ(window->context().filter().tenant, std::optional<std::string>(top));
}

} // namespace
} // namespace vigil::test
