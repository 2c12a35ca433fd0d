// The overview's numbers are the numbers `vigilctl query` prints for the same
// store and window.
#include "gui_test_support.h"

#include "models/movers_model.h"
#include "pages/dashboard_page.h"
#include "pages/metric_tile.h"
#include "pages/overview_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/format.h"

#include "store/rollup_accumulator.h"

#include <QAbstractItemView>
#include <QJsonArray>

#include <gtest/gtest.h>

#include <memory>

namespace vigil::test {
namespace {

using namespace vigil::ui;

class OverviewTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        store = sharedStore().storePath;
        window = std::make_unique<MainWindow>();
        window->setShowIngestSummaries(false);
        window->context().pinNow(kNowMs);
        window->resize(1400, 900);
        window->show();
        window->openStore(QString::fromStdString(store));
        ASSERT_TRUE(waitFor([this] { return window->context().hasStore(); }));
        overview = window->overview();
        ASSERT_TRUE(waitForWindow(kHourMs));
    }

    bool waitForWindow(std::int64_t lengthMs)
    {
        return waitFor([this, lengthMs] {
            const OverviewSnapshot *s = overview->snapshot();
            return s && !overview->isLoading() && s->request.window.lengthMs() == lengthMs &&
                   s->request.window.toMs == kNowMs;
        });
    }

    static std::optional<double> number(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
    }

    std::string store;
    std::unique_ptr<MainWindow> window;
    OverviewPage *overview = nullptr;
};

TEST_F(OverviewTest, HeadlineNumbersEqualVigilctlQuery)
{
    const QString now = QString::number(kNowMs);
    const QJsonObject latency = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("latency"),
                                                     QStringLiteral("--since"), QStringLiteral("1h"), QStringLiteral("--now"), now});
    const QJsonObject errors = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("errors"),
                                                    QStringLiteral("--since"), QStringLiteral("1h"), QStringLiteral("--now"), now});
    const QJsonObject before = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("latency"),
                                                   QStringLiteral("--from"), rfc3339(kNowMs - 2 * kHourMs),
                                                   QStringLiteral("--to"), rfc3339(kNowMs - kHourMs)});
    const QJsonObject errorsBefore = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("errors"),
                                                          QStringLiteral("--from"), rfc3339(kNowMs - 2 * kHourMs),
                                                          QStringLiteral("--to"), rfc3339(kNowMs - kHourMs)});
    const QJsonObject spend = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("spend"),
                                                   QStringLiteral("--from"), rfc3339(floorTo(kNowMs, kDayMs)),
                                                   QStringLiteral("--now"), now});

    const OverviewSnapshot &s = *overview->snapshot();
    ASSERT_TRUE(latency.value(QStringLiteral("exact")).toBool());
    EXPECT_EQ(s.current.latency.count, static_cast<std::uint64_t>(latency.value(QStringLiteral("count")).toInteger()));
    EXPECT_EQ(s.current.latency.p50, number(latency, "p50"));
    EXPECT_EQ(s.current.latency.p95, number(latency, "p95"));
    EXPECT_EQ(s.previous.latency.p95, number(before, "p95"));
    EXPECT_EQ(s.previous.latency.p50, number(before, "p50"));
    EXPECT_EQ(s.current.requests, static_cast<std::uint64_t>(errors.value(QStringLiteral("requests")).toInteger()));
    ASSERT_TRUE(s.current.errorRate().has_value());
    EXPECT_DOUBLE_EQ(*s.current.errorRate(), errors.value(QStringLiteral("error_rate")).toDouble());
    EXPECT_DOUBLE_EQ(*s.previous.errorRate(), errorsBefore.value(QStringLiteral("error_rate")).toDouble());
    EXPECT_DOUBLE_EQ(s.spendTodayUsd, spend.value(QStringLiteral("cost_usd")).toDouble());

    // ... and what is on screen is those numbers, written as vigilctl writes them.
    EXPECT_EQ(overview->p50Tile()->valueText(), formatMs(number(latency, "p50")));
    EXPECT_EQ(overview->p95Tile()->valueText(), formatMs(number(latency, "p95")));
    EXPECT_TRUE(overview->p95Tile()->detailText().contains(formatMs(number(before, "p95"))))
        << overview->p95Tile()->detailText().toStdString();
    EXPECT_EQ(overview->errorTile()->valueText(), formatPercent(number(errors, "error_rate")));
    EXPECT_EQ(overview->requestsTile()->valueText(),
              formatCount(errors.value(QStringLiteral("requests")).toInteger()));
    EXPECT_EQ(overview->spendTile()->valueText(), formatUsd(spend.value(QStringLiteral("cost_usd")).toDouble()));
}

TEST_F(OverviewTest, MoversAreTheIncidentAndMatchVigilctlGroups)
{
    const QString now = QString::number(kNowMs);
    const auto groups = [&](const char *what, const char *by) {
        const QJsonObject o = vigilctlJson(store, {QStringLiteral("query"), QString::fromLatin1(what), QStringLiteral("--since"),
                                                   QStringLiteral("1h"), QStringLiteral("--now"), now,
                                                   QStringLiteral("--by"), QString::fromLatin1(by)});
        std::map<std::string, QJsonObject> out;
        for (const QJsonValue &g : o.value(QStringLiteral("groups")).toArray())
            out[g.toObject().value(QStringLiteral("key")).toString().toStdString()] = g.toObject();
        return out;
    };
    const auto latencyByModel = groups("latency", "model");
    const auto errorsByProvider = groups("errors", "provider");

    const MoversModel *latency = overview->latencyMovers();
    const MoversModel *errors = overview->errorMovers();
    ASSERT_GT(latency->rowCount(), 0);
    ASSERT_GT(errors->rowCount(), 0);
    bool sawMiniModel = false, sawAnthropic = false;
    for (int row = 0; row < latency->rowCount(); ++row) {
        const Mover *m = latency->moverAt(row);
        if (m->dimension != MoverDimension::Model)
            continue;
        ASSERT_TRUE(latencyByModel.count(m->key)) << m->key;
        EXPECT_EQ(m->value, number(latencyByModel.at(m->key), "p95")) << m->key;
        sawMiniModel = sawMiniModel || m->key.starts_with("gpt-4o-mini");
    }
    for (int row = 0; row < errors->rowCount(); ++row) {
        const Mover *m = errors->moverAt(row);
        if (m->dimension != MoverDimension::Provider)
            continue;
        ASSERT_TRUE(errorsByProvider.count(m->key)) << m->key;
        EXPECT_DOUBLE_EQ(*m->value, errorsByProvider.at(m->key).value(QStringLiteral("error_rate")).toDouble());
        sawAnthropic = sawAnthropic || m->key == "anthropic";
    }
    // The generated incident: gpt-4o-mini slows down, anthropic returns errors.
    EXPECT_TRUE(sawMiniModel);
    EXPECT_TRUE(sawAnthropic);
    // The worst latency mover is gpt-4o-mini or the bad answer-question version.
    const std::string top = latency->moverAt(0)->key;
    EXPECT_TRUE(top.starts_with("gpt-4o-mini") || top.starts_with("answer-question@")) << top;
}

TEST_F(OverviewTest, ChangingTheRangeRecomputesForTheNewWindow)
{
    window->context().setRange(TimeRange::sliding(RangePreset::Last6h));
    ASSERT_TRUE(waitForWindow(6 * kHourMs));
    const QJsonObject latency = vigilctlJson(store, {QStringLiteral("query"), QStringLiteral("latency"),
                                                     QStringLiteral("--since"), QStringLiteral("6h"),
                                                     QStringLiteral("--now"), QString::number(kNowMs)});
    EXPECT_EQ(overview->snapshot()->current.latency.p95, number(latency, "p95"));
    EXPECT_EQ(overview->p95Tile()->valueText(), formatMs(number(latency, "p95")));
}

TEST_F(OverviewTest, StaleDataShowsABanner)
{
    // The store was written moments ago; pin "now" two hours later: no data
    // has arrived since, and the overview must say so.
    EXPECT_TRUE(overview->bannerText().isEmpty() || overview->bannerText().contains(QStringLiteral("No new data")))
        << overview->bannerText().toStdString();
    const auto lastCommit = overview->snapshot()->lastCommitMs;
    ASSERT_TRUE(lastCommit.has_value());
    window->context().pinNow(*lastCommit + 2 * kHourMs);
    ASSERT_TRUE(waitFor([this, lastCommit] {
        const OverviewSnapshot *s = overview->snapshot();
        return s && !overview->isLoading() && s->request.nowMs == *lastCommit + 2 * kHourMs;
    }));
    EXPECT_TRUE(overview->bannerText().contains(QStringLiteral("No new data has arrived for 2 h")))
        << overview->bannerText().toStdString();
    EXPECT_TRUE(overview->dataAsOfText().startsWith(QStringLiteral("Data as of"))) << overview->dataAsOfText().toStdString();
}

TEST_F(OverviewTest, DoubleClickingAMoverFiltersTheDashboard)
{
    const MoversModel *errors = overview->errorMovers();
    ASSERT_GT(errors->rowCount(), 0);
    const Mover mover = *errors->moverAt(0);
    auto *view = overview->findChild<QAbstractItemView *>(QStringLiteral("errorMoversView"));
    ASSERT_NE(view, nullptr);
    Q_EMIT view->doubleClicked(errors->index(0, 0));
    EXPECT_EQ(window->currentPage(), static_cast<Page *>(window->dashboard()));
    const LabelFilter f = window->context().filter();
    switch (mover.dimension) {
    case MoverDimension::Provider: EXPECT_EQ(f.provider, mover.key); break;
    case MoverDimension::Model: EXPECT_EQ(f.model, mover.key); break;
    case MoverDimension::Tenant: EXPECT_EQ(f.tenant, mover.key); break;
    case MoverDimension::PromptVersion: EXPECT_TRUE(f.promptName.has_value()); break;
    }
}

} // namespace
} // namespace vigil::test
