#include "prompts/notice_label.h"

#include "util/theme.h"

#include <QApplication>
#include <QEvent>

namespace vigil::ui {

NoticeLabel::NoticeLabel(QWidget *parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setAutoFillBackground(true);
    setFrameShape(QFrame::StyledPanel);
    setMargin(6);
    hide();
}

void NoticeLabel::showNotice(Kind kind, const QString &text)
{
    m_kind = kind;
    setText(text);
    applyColours();
    setVisible(!text.isEmpty());
}

void NoticeLabel::applyColours()
{
    m_applying = true;
    const QPalette app = QApplication::palette();
    const StatusColors status = statusColors(app);
    const QColor base = app.color(QPalette::Base);
    const QColor tint = m_kind == Kind::Error ? status.bad : m_kind == Kind::Success ? status.good : app.color(QPalette::Highlight);
    const double amount = isDark(app) ? 0.25 : 0.15;
    QColor background(static_cast<int>(base.red() + (tint.red() - base.red()) * amount),
                      static_cast<int>(base.green() + (tint.green() - base.green()) * amount),
                      static_cast<int>(base.blue() + (tint.blue() - base.blue()) * amount));
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, app.color(QPalette::Text));
    setPalette(p);
    m_applying = false;
}

void NoticeLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (!m_applying && event->type() == QEvent::ApplicationPaletteChange)
        applyColours();
}

} // namespace vigil::ui
