#include "charts/time_chart_view.h"

#include "charts/chart_style.h"

#include <QAbstractSeries>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QContextMenuEvent>
#include <QLogValueAxis>
#include <QMenu>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace vigil::ui {

TimeChartView::TimeChartView(const QString &title, Scale scale, QWidget *parent) : QChartView(parent)
{
    auto *c = new QChart;
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignTop);
    c->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);
    c->setMargins(QMargins(4, 2, 4, 2));
    // The chart goes into the view before its axes: Qt Charts 6.4 does not
    // draw a date-time axis that was added before setChart().
    setChart(c);
    m_timeAxis = new QDateTimeAxis(c);
    m_timeAxis->setTickCount(7);
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    c->addAxis(m_timeAxis, Qt::AlignBottom);
    if (scale == Scale::Log) {
        m_logAxis = new QLogValueAxis(c);
        m_logAxis->setBase(10);
        m_logAxis->setLabelFormat(QStringLiteral("%g"));
        m_logAxis->setMinorTickCount(-1);
        c->addAxis(m_logAxis, Qt::AlignLeft);
    } else {
        m_linearAxis = new QValueAxis(c);
        m_linearAxis->setLabelFormat(QStringLiteral("%.0f"));
        m_linearAxis->setTickCount(5);
        c->addAxis(m_linearAxis, Qt::AlignLeft);
    }
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setMinimumHeight(210);
    setCursor(Qt::CrossCursor);
    styleChart(c, palette());
}

void TimeChartView::attach(QAbstractSeries *series, QAbstractAxis *valueAxis)
{
    chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    if (!valueAxis)
        valueAxis = m_logAxis ? static_cast<QAbstractAxis *>(m_logAxis) : m_linearAxis;
    series->attachAxis(valueAxis);
    styleChart(chart(), palette());
}

QValueAxis *TimeChartView::addRightAxis(const QString &title)
{
    auto *axis = new QValueAxis(chart());
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setTickCount(5);
    chart()->addAxis(axis, Qt::AlignRight);
    styleChart(chart(), palette());
    return axis;
}

void TimeChartView::setWindow(const TimeWindow &window, std::int64_t bucketMs)
{
    m_window = window;
    m_bucketMs = std::max<std::int64_t>(bucketMs, 1);
    // A date-time axis puts its ticks evenly between its ends, so the ends
    // are moved out to round local times (a little past the data) to get
    // labels like 01:10, 01:20 rather than 01:08, 01:18.
    const std::int64_t length = std::max<std::int64_t>(window.lengthMs(), 1);
    constexpr std::int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
    std::int64_t step = 2 * kDay;
    for (std::int64_t s : {kMin, 2 * kMin, 5 * kMin, 10 * kMin, 15 * kMin, 30 * kMin, kHour, 2 * kHour, 3 * kHour,
                           6 * kHour, 12 * kHour, kDay, 2 * kDay}) {
        if (length / s <= 8) {
            step = s;
            break;
        }
    }
    const std::int64_t offset =
        static_cast<std::int64_t>(QDateTime::fromMSecsSinceEpoch(window.fromMs).offsetFromUtc()) * 1000;
    const auto floorLocal = [&](std::int64_t ms) {
        const std::int64_t local = ms + offset;
        return local - ((local % step) + step) % step - offset;
    };
    const std::int64_t axisFrom = floorLocal(window.fromMs);
    std::int64_t axisTo = floorLocal(window.toMs);
    if (axisTo < window.toMs)
        axisTo += step;
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(axisFrom), QDateTime::fromMSecsSinceEpoch(axisTo));
    m_timeAxis->setTickCount(static_cast<int>((axisTo - axisFrom) / step) + 1);
    m_timeAxis->setFormat(step >= kDay ? QStringLiteral("MMM d") : QStringLiteral("HH:mm"));
    m_hovered.reset();
    viewport()->update();
}

void TimeChartView::fitValueAxis(QValueAxis *axis, double max)
{
    if (!(max > 0) || !std::isfinite(max))
        max = 1;
    // Four or five ticks at 1, 2, 2.5 or 5 times a power of ten, the top one
    // just above the highest point.
    const double raw = max * 1.05 / 4;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    }
    const int intervals = static_cast<int>(std::ceil(max * 1.05 / step - 1e-9));
    axis->setRange(0, step * intervals);
    axis->setTickCount(intervals + 1);
    int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    if (std::abs(step / std::pow(10.0, -decimals) - std::round(step / std::pow(10.0, -decimals))) > 1e-6)
        ++decimals; // 2.5, 0.25: one more digit
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
}

void TimeChartView::fitLogAxis(QLogValueAxis *axis, double min, double max)
{
    if (!(min > 0) || !std::isfinite(min))
        min = 1;
    if (!(max > min) || !std::isfinite(max))
        max = min * 10;
    axis->setRange(std::pow(10.0, std::floor(std::log10(min))), std::pow(10.0, std::ceil(std::log10(max * 1.05))));
}

void TimeChartView::setMarkers(const QList<ChartMarker> &markers)
{
    m_markers = markers;
    viewport()->update();
}

double TimeChartView::sceneXAt(std::int64_t ms) const
{
    const QRectF plot = chart()->plotArea();
    const double min = static_cast<double>(m_timeAxis->min().toMSecsSinceEpoch());
    const double max = static_cast<double>(m_timeAxis->max().toMSecsSinceEpoch());
    const double x = max > min ? plot.left() + (static_cast<double>(ms) - min) / (max - min) * plot.width() : plot.left();
    return chart()->mapToScene(QPointF(x, plot.center().y())).x();
}

QPoint TimeChartView::viewportPointAt(std::int64_t ms) const
{
    const QPointF centre = chart()->mapToScene(chart()->plotArea().center());
    return mapFromScene(QPointF(sceneXAt(ms), centre.y()));
}

std::int64_t TimeChartView::timeAtViewportX(int x) const
{
    const QRectF plot = chart()->plotArea();
    const double chartX = chart()->mapFromScene(mapToScene(QPoint(x, 0))).x();
    const double min = static_cast<double>(m_timeAxis->min().toMSecsSinceEpoch());
    const double max = static_cast<double>(m_timeAxis->max().toMSecsSinceEpoch());
    if (plot.width() <= 0)
        return static_cast<std::int64_t>(min);
    return static_cast<std::int64_t>(std::llround(min + (chartX - plot.left()) / plot.width() * (max - min)));
}

std::int64_t TimeChartView::bucketStartAt(std::int64_t ms) const
{
    const std::int64_t clamped = std::clamp(ms, m_window.fromMs, std::max(m_window.fromMs, m_window.toMs - 1));
    return m_window.fromMs + (clamped - m_window.fromMs) / m_bucketMs * m_bucketMs;
}

bool TimeChartView::inPlot(const QPoint &viewportPos) const
{
    const QPolygon plot = mapFromScene(chart()->mapToScene(chart()->plotArea()));
    return plot.boundingRect().contains(viewportPos);
}

void TimeChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && inPlot(event->position().toPoint())) {
        m_pressX = event->position().toPoint().x();
        m_dragX = *m_pressX;
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void TimeChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressX) {
        viewport()->update(plotColumns(std::min({*m_pressX, m_dragX, pos.x()}), std::max({*m_pressX, m_dragX, pos.x()})));
        m_dragX = pos.x();
    }
    showHover(pos);
    event->accept();
}

void TimeChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_pressX || event->button() != Qt::LeftButton) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const int start = *m_pressX;
    const int end = event->position().toPoint().x();
    m_pressX.reset();
    viewport()->update();
    event->accept();
    if (std::abs(end - start) >= 6) {
        const std::int64_t a = bucketStartAt(timeAtViewportX(std::min(start, end)));
        const std::int64_t b = std::min(m_window.toMs, bucketStartAt(timeAtViewportX(std::max(start, end))) + m_bucketMs);
        if (b > a)
            Q_EMIT rangeSelected(a, b);
        return;
    }
    m_clickedBucket = bucketStartAt(timeAtViewportX(start));
    Q_EMIT bucketClicked(*m_clickedBucket);
}

void TimeChartView::openBucket(std::int64_t bucketStartMs)
{
    Q_EMIT bucketOpened(bucketStartMs, std::min(m_window.toMs, bucketStartMs + m_bucketMs));
}

void TimeChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !inPlot(event->position().toPoint())) {
        QChartView::mouseDoubleClickEvent(event);
        return;
    }
    event->accept();
    // The bucket of the first click: it may already have narrowed the charts.
    openBucket(m_clickedBucket.value_or(bucketStartAt(timeAtViewportX(event->position().toPoint().x()))));
}

void TimeChartView::contextMenuEvent(QContextMenuEvent *event)
{
    if (!inPlot(event->pos()) || m_window.lengthMs() <= 0) {
        QChartView::contextMenuEvent(event);
        return;
    }
    const std::int64_t bucket = bucketStartAt(timeAtViewportX(event->pos().x()));
    QMenu menu(this);
    menu.addAction(tr("Show these calls in Audit"), this, [this, bucket] { openBucket(bucket); });
    menu.exec(event->globalPos());
}

void TimeChartView::leaveEvent(QEvent *event)
{
    if (m_hovered)
        viewport()->update(bucketBand(*m_hovered));
    m_hovered.reset();
    QToolTip::hideText();
    QChartView::leaveEvent(event);
}

void TimeChartView::showHover(const QPoint &viewportPos)
{
    if (!inPlot(viewportPos) || m_window.lengthMs() <= 0) {
        if (m_hovered) {
            viewport()->update(bucketBand(*m_hovered));
            m_hovered.reset();
            QToolTip::hideText();
        }
        return;
    }
    const std::int64_t bucket = bucketStartAt(timeAtViewportX(viewportPos.x()));
    if (m_hovered != bucket) {
        if (m_hovered)
            viewport()->update(bucketBand(*m_hovered));
        m_hovered = bucket;
        viewport()->update(bucketBand(bucket));
    }
    if (m_describe)
        QToolTip::showText(viewport()->mapToGlobal(viewportPos), m_describe(bucket), this);
}

QRect TimeChartView::plotColumns(int x0, int x1) const
{
    const QRect plot = mapFromScene(chart()->mapToScene(chart()->plotArea())).boundingRect();
    return QRect(QPoint(x0 - 3, plot.top() - 2), QPoint(x1 + 3, plot.bottom() + 2));
}

QRect TimeChartView::bucketBand(std::int64_t bucketStartMs) const
{
    return plotColumns(viewportPointAt(bucketStartMs).x(), viewportPointAt(bucketStartMs + m_bucketMs).x());
}

void TimeChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    const QColor highlight = palette().color(QPalette::Highlight);
    painter->save();
    painter->setClipRect(plot.adjusted(-1, -20, 1, 1));
    if (m_hovered && !m_pressX) {
        QColor band = highlight;
        band.setAlpha(36);
        painter->fillRect(QRectF(QPointF(sceneXAt(*m_hovered), plot.top()),
                                 QPointF(sceneXAt(*m_hovered + m_bucketMs), plot.bottom())),
                          band);
    }
    if (m_pressX) {
        const double a = mapToScene(QPoint(*m_pressX, 0)).x();
        const double b = mapToScene(QPoint(m_dragX, 0)).x();
        QColor band = highlight;
        band.setAlpha(60);
        const QRectF selection(QPointF(std::min(a, b), plot.top()), QPointF(std::max(a, b), plot.bottom()));
        painter->fillRect(selection, band);
        painter->setPen(QPen(highlight, 1));
        painter->drawRect(selection);
    }
    QFont small = painter->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    const std::int64_t min = m_timeAxis->min().toMSecsSinceEpoch();
    const std::int64_t max = m_timeAxis->max().toMSecsSinceEpoch();
    for (const ChartMarker &m : m_markers) {
        if (m.atMs < min || m.atMs > max)
            continue;
        const double x = sceneXAt(m.atMs);
        const QColor colour = m.color.isValid() ? m.color : palette().color(QPalette::Link);
        painter->setPen(QPen(colour, 1.5, Qt::DashLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        if (!m.label.isEmpty()) {
            const QRectF textRect = painter->fontMetrics().boundingRect(m.label).toRectF().translated(x + 3, plot.top() + 12);
            QColor back = palette().color(QPalette::Base);
            back.setAlpha(210);
            painter->fillRect(textRect.adjusted(-2, -1, 2, 1), back);
            painter->setPen(colour);
            painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, m.label);
        }
    }
    painter->restore();
}

void TimeChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        styleChart(chart(), palette());
    QChartView::changeEvent(event);
}

} // namespace vigil::ui
