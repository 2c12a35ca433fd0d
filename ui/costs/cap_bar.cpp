#include "costs/cap_bar.h"

#include "util/theme.h"

#include <QPainter>
#include <QPainterPath>

namespace vigil::ui {

CapBar::CapBar(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CapBar::setValues(double spentUsd, std::optional<double> capUsd, double warnShare, std::optional<double> projectedUsd)
{
    m_spent = spentUsd;
    m_cap = capUsd;
    m_warnShare = warnShare;
    m_projected = projectedUsd;
    m_level = capLevel(spentUsd, capUsd, warnShare);
    setToolTip(capUsd ? tr("%1% of the cap").arg(share() * 100, 0, 'f', 1) : tr("no cap applies"));
    update();
}

double CapBar::share() const
{
    return m_cap && *m_cap > 0 ? m_spent / *m_cap : 0;
}

QColor CapBar::fillColor() const
{
    const StatusColors c = statusColors(palette());
    switch (m_level) {
    case CapLevel::Ok: return c.good;
    case CapLevel::Warn: return c.warning;
    case CapLevel::Over: return c.bad;
    }
    return c.good;
}

void CapBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF track = QRectF(rect()).adjusted(1, 3, -1, -3);
    const double radius = track.height() / 3;
    QColor trackColor = palette().color(QPalette::Mid);
    trackColor.setAlpha(70);
    p.setPen(Qt::NoPen);
    p.setBrush(trackColor);
    p.drawRoundedRect(track, radius, radius);
    if (!m_cap || *m_cap <= 0)
        return;
    // The scale runs to the cap, or past it when spend or projection went over.
    const double top = std::max({*m_cap, m_spent, m_projected.value_or(0)});
    // Room at the right end for the projection's marker when it sets the scale.
    const double room = track.height() / 2 + 1;
    const auto xOf = [&](double usd) {
        return track.left() + (track.width() - room) * std::clamp(usd / top, 0.0, 1.0);
    };
    QRectF fill = track;
    fill.setRight(xOf(m_spent));
    p.setBrush(fillColor());
    p.drawRoundedRect(fill, radius, radius);
    const QColor tick = palette().color(QPalette::WindowText);
    p.setPen(QPen(tick, 1, Qt::DotLine));
    const double warnX = xOf(*m_cap * m_warnShare);
    p.drawLine(QPointF(warnX, track.top() - 2), QPointF(warnX, track.bottom() + 2));
    p.setPen(QPen(tick, 2));
    const double capX = xOf(*m_cap);
    p.drawLine(QPointF(capX, track.top() - 3), QPointF(capX, track.bottom() + 3));
    if (m_projected && *m_projected > m_spent) {
        const double x = xOf(*m_projected);
        p.setPen(QPen(tick, 1.5));
        p.setBrush(Qt::NoBrush);
        QPainterPath diamond;
        const double h = track.height() / 2;
        const double cy = track.center().y();
        diamond.moveTo(x, cy - h);
        diamond.lineTo(x + h, cy);
        diamond.lineTo(x, cy + h);
        diamond.lineTo(x - h, cy);
        diamond.closeSubpath();
        p.drawPath(diamond);
    }
}

} // namespace vigil::ui
