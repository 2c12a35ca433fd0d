#pragma once

#include "charts/chart_marker.h"
#include "pages/page.h"
#include "query/latest_query.h"
#include "query/overview_query.h"

#include <memory>

class QLabel;
class QLineSeries;
class QTableView;
class QValueAxis;

namespace vigil::ui {

class Banner;
class MetricTile;
class MoversModel;
class TimeChartView;

// The 2am answer for the chosen window: p50 and p95 latency against the
// window before, error rate, requests, spend today, and the top movers, with
// the time the data is from and a banner when it has stopped arriving.
class OverviewPage final : public Page
{
    Q_OBJECT

public:
    explicit OverviewPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~OverviewPage() override;

    QString pageId() const override { return QStringLiteral("overview"); }
    QString title() const override { return tr("Overview"); }
    QIcon icon() const override;
    bool isLoading() const override { return m_query.inFlight(); }

    void setMarkers(const QList<ChartMarker> &markers);

    // What is on screen, for tests.
    const OverviewSnapshot *snapshot() const { return m_snapshot.get(); }
    MetricTile *p50Tile() const { return m_p50; }
    MetricTile *p95Tile() const { return m_p95; }
    MetricTile *errorTile() const { return m_errors; }
    MetricTile *requestsTile() const { return m_requests; }
    MetricTile *spendTile() const { return m_spend; }
    MoversModel *latencyMovers() const { return m_latencyMovers; }
    MoversModel *errorMovers() const { return m_errorMovers; }
    QString bannerText() const;
    QString dataAsOfText() const;
    TimeChartView *trendChart() const { return m_trend; }

protected:
    void refresh() override;

private:
    void show(std::shared_ptr<const OverviewSnapshot> snapshot);
    void showTiles(const OverviewSnapshot &s);
    void showTrend(const OverviewSnapshot &s);
    void updateFreshness();
    void openMover(const QModelIndex &index);
    QTableView *makeMoversView(MoversModel *model);

    LatestQuery m_query;
    std::shared_ptr<const OverviewSnapshot> m_snapshot;
    Banner *m_banner = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_asOf = nullptr;
    MetricTile *m_p50 = nullptr;
    MetricTile *m_p95 = nullptr;
    MetricTile *m_errors = nullptr;
    MetricTile *m_requests = nullptr;
    MetricTile *m_spend = nullptr;
    TimeChartView *m_trend = nullptr;
    QLineSeries *m_trendP95 = nullptr;
    QLineSeries *m_trendErrors = nullptr;
    QValueAxis *m_trendErrorAxis = nullptr;
    MoversModel *m_latencyMovers = nullptr;
    MoversModel *m_errorMovers = nullptr;
    QLabel *m_moversNote = nullptr;
    QTimer m_freshnessTimer;
};

} // namespace vigil::ui
