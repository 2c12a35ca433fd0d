#include "pages/banner.h"

#include "util/theme.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace vigil::ui {

Banner::Banner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setAutoFillBackground(true);
    setFrameShape(QFrame::Box);
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    QFont bold = m_label->font();
    bold.setBold(true);
    m_label->setFont(bold);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(icon);
    layout->addWidget(m_label, 1);
    applyColours();
    hide();
}

void Banner::setMessage(const QString &message)
{
    m_label->setText(message);
    setVisible(!message.isEmpty());
}

QString Banner::message() const
{
    return isVisibleTo(parentWidget()) ? m_label->text() : QString();
}

void Banner::applyColours()
{
    const StatusColors c = statusColors(QApplication::palette());
    QPalette p = palette();
    p.setColor(QPalette::Window, c.bannerBackground);
    p.setColor(QPalette::WindowText, c.bannerText);
    p.setColor(QPalette::Light, c.bannerBorder);
    p.setColor(QPalette::Dark, c.bannerBorder);
    setPalette(p);
}

void Banner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange)
        applyColours();
}

} // namespace vigil::ui
