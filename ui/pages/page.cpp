#include "pages/page.h"

#include "shell/console_context.h"

#include <QDateTime>

namespace vigil::ui {

Page::Page(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    m_coalesce.setSingleShot(true);
    connect(&m_coalesce, &QTimer::timeout, this, &Page::refreshNow);
    connect(&context, &ConsoleContext::storeChanged, this, [this] { markStale(true); });
    connect(&context, &ConsoleContext::rangeChanged, this, [this] { markStale(true); });
    connect(&context, &ConsoleContext::dataArrived, this, [this] { markStale(false); });
    connect(&context, &ConsoleContext::ticked, this, [this] { markStale(false); });
}

void Page::markStale(bool urgent)
{
    m_stale = true;
    if (!isVisible())
        return;
    if (urgent)
        refreshNow();
    else
        refreshSoon();
}

void Page::refreshNow()
{
    m_coalesce.stop();
    m_stale = false;
    m_pendingWhileLoading = false;
    m_lastRefreshMs = QDateTime::currentMSecsSinceEpoch();
    if (m_context.hasStore())
        refresh();
}

void Page::refreshSoon()
{
    m_stale = true;
    if (isLoading()) {
        // Let the running query finish rather than restarting it over and over
        // while data streams in; ask again when it lands.
        m_pendingWhileLoading = true;
        return;
    }
    if (m_coalesce.isActive())
        return;
    const qint64 sinceLast = QDateTime::currentMSecsSinceEpoch() - m_lastRefreshMs;
    m_coalesce.start(static_cast<int>(std::max<qint64>(kCoalesceMs, kMinIntervalMs - sinceLast)));
}

void Page::refreshed()
{
    Q_EMIT loaded();
    if (m_pendingWhileLoading) {
        m_pendingWhileLoading = false;
        refreshSoon();
    }
}

void Page::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshNow();
}

} // namespace vigil::ui
