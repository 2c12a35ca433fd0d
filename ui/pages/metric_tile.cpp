#include "pages/metric_tile.h"

#include "util/theme.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace vigil::ui {

MetricTile::MetricTile(const QString &caption, QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_caption = new QLabel(caption, this);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_value = new QLabel(QStringLiteral("-"), this);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 2.1);
    big.setBold(true);
    m_value->setFont(big);
    m_detail = new QLabel(this);
    m_detail->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    layout->addStretch();
    setMinimumWidth(170);
    applyColours();
}

void MetricTile::setCaption(const QString &caption)
{
    m_caption->setText(caption);
}

QString MetricTile::captionText() const
{
    return m_caption->text();
}

void MetricTile::setValue(const QString &value, Severity severity)
{
    m_value->setText(value);
    m_severity = severity;
    applyColours();
}

void MetricTile::setDetail(const QString &detail)
{
    m_detail->setText(detail);
}

QString MetricTile::valueText() const
{
    return m_value->text();
}

QString MetricTile::detailText() const
{
    return m_detail->text();
}

void MetricTile::applyColours()
{
    if (!m_value)
        return; // a palette change while the constructor is still running
    const QColor colour = severityColor(m_severity, palette());
    QPalette p = m_value->palette();
    p.setColor(QPalette::WindowText, colour);
    m_value->setPalette(p);
    update();
}

void MetricTile::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    // A stripe on the left repeats the severity in width as well as colour,
    // for a glance from across the room and for those who read colour poorly.
    const int stripe = m_severity == Severity::Bad ? 7 : m_severity == Severity::Warning ? 5 : 3;
    QPainter painter(this);
    painter.fillRect(QRect(0, 0, stripe, height()), severityColor(m_severity, palette()));
}

void MetricTile::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColours();
}

} // namespace vigil::ui
