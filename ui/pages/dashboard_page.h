#pragma once

#include "charts/chart_marker.h"
#include "pages/page.h"
#include "query/dashboard_query.h"
#include "query/filter_options.h"
#include "query/latest_query.h"

#include <memory>

class QChartView;
class QGridLayout;
class QLabel;

namespace vigil::ui {

class DashboardCharts;
class FilterBar;
class TimeChartView;

// Latency, outcomes, errors, spend, tokens and retrieval over the chosen
// range, filtered by tenant, model, provider and prompt version. Dragging
// across a chart zooms every chart to that span; a click narrows them all to
// one bucket; a bar of "spend by tenant" filters to that tenant; a
// double-click or the context menu on a bucket asks for its calls.
class DashboardPage final : public Page
{
    Q_OBJECT

public:
    explicit DashboardPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~DashboardPage() override;

    QString pageId() const override { return QStringLiteral("dashboard"); }
    QString title() const override { return tr("Dashboard"); }
    QIcon icon() const override;
    bool isLoading() const override;

    // Vertical lines at these instants on every chart (prompt activations,
    // alert firings: later issues call this).
    void setMarkers(const QList<ChartMarker> &markers);
    QList<ChartMarker> markers() const { return m_markers; }

    const DashboardSnapshot *snapshot() const;
    QList<TimeChartView *> timeCharts() const;
    QList<QChartView *> charts() const;
    FilterBar *filterBar() const { return m_filterBar; }
    const FilterOptions &filterOptions() const { return m_options; }
    void focusFilters();

Q_SIGNALS:
    // The calls of a bucket, under the dashboard's filters (the Audit page shows them).
    void callsRequested(qint64 fromMs, qint64 toMs);

protected:
    void refresh() override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void layoutCharts(int columns);
    void refreshOptions();
    void show(std::shared_ptr<const DashboardSnapshot> snapshot);

    LatestQuery m_query;
    LatestQuery m_optionsQuery;
    FilterOptions m_options;
    FilterBar *m_filterBar = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_hint = nullptr;
    DashboardCharts *m_charts = nullptr;
    QGridLayout *m_grid = nullptr;
    int m_columns = 0;
    QList<ChartMarker> m_markers;
};

} // namespace vigil::ui
