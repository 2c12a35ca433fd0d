#pragma once

#include "charts/chart_marker.h"
#include "metrics/time_window.h"

#include <QChartView>
#include <QList>

#include <functional>
#include <optional>

class QAbstractAxis;
class QAbstractSeries;
class QDateTimeAxis;
class QLogValueAxis;
class QValueAxis;

namespace vigil::ui {

// A chart over time buckets. Hovering shows the exact values of the bucket
// under the mouse (the text comes from the page, which has the snapshot);
// dragging across the plot selects a range to zoom to; a click picks one
// bucket; a double-click or the context menu opens a bucket's calls; markers
// draw vertical lines at given instants.
class TimeChartView : public QChartView
{
    Q_OBJECT

public:
    using Describer = std::function<QString(std::int64_t bucketStartMs)>;
    // Latency spans 100 ms to 30 s timeouts: on a log scale p50 and a spike
    // of timeouts stay readable on one chart.
    enum class Scale { Linear, Log };

    explicit TimeChartView(const QString &title, Scale scale = Scale::Linear, QWidget *parent = nullptr);

    QDateTimeAxis *timeAxis() const { return m_timeAxis; }
    QValueAxis *valueAxis() const { return m_linearAxis; } // null on a log scale
    QLogValueAxis *logAxis() const { return m_logAxis; }   // null on a linear scale
    // Adds a series to the chart on the time axis and `valueAxis` (the left one when null).
    void attach(QAbstractSeries *series, QAbstractAxis *valueAxis = nullptr);
    QValueAxis *addRightAxis(const QString &title);

    void setWindow(const TimeWindow &window, std::int64_t bucketMs);
    TimeWindow window() const { return m_window; }
    std::int64_t bucketMs() const { return m_bucketMs; }
    // Sets [0, max] with some headroom and round ticks (0..1 when max is 0).
    static void fitValueAxis(QValueAxis *axis, double max);
    // Sets whole decades (or 2x, 5x steps) around [min, max].
    static void fitLogAxis(QLogValueAxis *axis, double min, double max);

    void setDescriber(Describer describer) { m_describe = std::move(describer); }
    void setMarkers(const QList<ChartMarker> &markers);
    const QList<ChartMarker> &markers() const { return m_markers; }

    // Where an instant is drawn, in viewport coordinates (vertically in the
    // middle of the plot), and the instant at a viewport x. For tests and drags.
    QPoint viewportPointAt(std::int64_t ms) const;
    std::int64_t timeAtViewportX(int x) const;
    std::int64_t bucketStartAt(std::int64_t ms) const;
    std::optional<std::int64_t> hoveredBucket() const { return m_hovered; }

Q_SIGNALS:
    void rangeSelected(qint64 fromMs, qint64 toMs);
    void bucketClicked(qint64 bucketStartMs);
    // "Show these calls": a double-click on a bucket or its context menu.
    void bucketOpened(qint64 fromMs, qint64 toMs);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void changeEvent(QEvent *event) override;

private:
    double sceneXAt(std::int64_t ms) const;
    bool inPlot(const QPoint &viewportPos) const;
    void showHover(const QPoint &viewportPos);
    // Repainting a whole chart is costly: hover and drag repaint only the band they touch.
    QRect bucketBand(std::int64_t bucketStartMs) const;
    QRect plotColumns(int x0, int x1) const;
    void openBucket(std::int64_t bucketStartMs);

    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_linearAxis = nullptr;
    QLogValueAxis *m_logAxis = nullptr;
    TimeWindow m_window;
    std::int64_t m_bucketMs = 60'000;
    Describer m_describe;
    QList<ChartMarker> m_markers;
    std::optional<std::int64_t> m_hovered;
    std::optional<int> m_pressX; // viewport x where a drag started
    int m_dragX = 0;
    std::optional<std::int64_t> m_clickedBucket; // a click may narrow the window before its double-click lands
};

} // namespace vigil::ui
