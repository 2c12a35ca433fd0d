#pragma once

#include "charts/chart_marker.h"
#include "query/dashboard_query.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <array>
#include <deque>
#include <functional>
#include <memory>

class QAreaSeries;
class QBarCategoryAxis;
class QChartView;
class QHorizontalBarSeries;
class QLineSeries;
class QValueAxis;
class QWidget;

namespace vigil::ui {

class TimeChartView;

// The dashboard's charts and how a snapshot becomes their series: latency
// percentiles, requests by outcome (stacked), error rate, spend, spend by
// tenant, tokens and retrieval hits. Owns no data but the snapshot on show.
class DashboardCharts final : public QObject
{
    Q_OBJECT

public:
    explicit DashboardCharts(QWidget *viewParent);

    QList<TimeChartView *> timeCharts() const { return m_timeCharts; }
    QChartView *tenantSpendView() const { return m_tenantView; }
    QList<QChartView *> allViews() const;

    // Puts the snapshot on the charts one chart per event-loop turn, so the
    // UI thread never paints all seven at once; shown() follows the last.
    void show(std::shared_ptr<const DashboardSnapshot> snapshot);
    const DashboardSnapshot *snapshot() const { return m_snapshot.get(); }
    bool isDrawing() const { return !m_steps.empty(); }
    void setMarkers(const QList<ChartMarker> &markers);

Q_SIGNALS:
    void shown();
    void rangeSelected(qint64 fromMs, qint64 toMs);
    void bucketClicked(qint64 bucketStartMs);
    void bucketOpened(qint64 fromMs, qint64 toMs);
    void tenantClicked(const QString &tenant);

private:
    TimeChartView *addTimeChart(const QString &title, const QString &objectName, QWidget *parent, bool logScale = false);
    QLineSeries *addLine(TimeChartView *view, const QString &name, const QColor &colour, QValueAxis *axis = nullptr);
    QAreaSeries *addArea(TimeChartView *view, const QString &name, const QColor &colour, QLineSeries *lower);
    void buildTenantChart(QWidget *parent);
    void showTenantSpend(const DashboardSnapshot &s);
    QString describe(std::int64_t bucketStartMs, int chart) const;
    void runStep();

    std::shared_ptr<const DashboardSnapshot> m_snapshot;
    std::deque<std::function<void()>> m_steps;
    QTimer m_stepTimer;
    QList<TimeChartView *> m_timeCharts;
    TimeChartView *m_latencyView = nullptr;
    TimeChartView *m_outcomeView = nullptr;
    TimeChartView *m_errorView = nullptr;
    TimeChartView *m_spendView = nullptr;
    TimeChartView *m_tokensView = nullptr;
    TimeChartView *m_retrievalView = nullptr;
    std::array<QLineSeries *, 3> m_percentiles{};
    std::array<QLineSeries *, kOutcomeCount> m_outcomeTops{};
    QLineSeries *m_errorRate = nullptr;
    QLineSeries *m_spend = nullptr;
    QLineSeries *m_tokensIn = nullptr;
    QLineSeries *m_tokensOut = nullptr;
    QLineSeries *m_hitsPerRetrieval = nullptr;
    QLineSeries *m_emptyRetrievals = nullptr;
    QValueAxis *m_emptyAxis = nullptr;
    QChartView *m_tenantView = nullptr;
    QHorizontalBarSeries *m_tenantSeries = nullptr;
    QBarCategoryAxis *m_tenantAxis = nullptr;
    QValueAxis *m_tenantValueAxis = nullptr;
};

} // namespace vigil::ui
