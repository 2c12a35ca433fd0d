#include "shell/console_context.h"

#include "ingest/ingest_controller.h"

#include "metrics/time_window.h"

namespace vigil::ui {

bool sameFilter(const LabelFilter &a, const LabelFilter &b)
{
    return a.tenant == b.tenant && a.model == b.model && a.provider == b.provider && a.promptName == b.promptName &&
           a.promptVersion == b.promptVersion;
}

ConsoleContext::ConsoleContext(QObject *parent)
    : QObject(parent), m_queries(new QueryService(this)), m_ingest(new IngestController(this))
{
}

ConsoleContext::~ConsoleContext()
{
    // Stop the ingests before the queries: both wait for their threads.
    delete m_ingest;
    m_ingest = nullptr;
}

void ConsoleContext::setStore(const QString &path, bool readOnly)
{
    m_storePath = path;
    m_readOnly = readOnly;
    m_queries->setStorePath(path);
    Q_EMIT storeChanged();
}

void ConsoleContext::clearStore()
{
    setStore(QString(), false);
}

std::int64_t ConsoleContext::nowMs() const
{
    return m_pinnedNow ? *m_pinnedNow : currentTimeMs();
}

void ConsoleContext::pinNow(std::optional<std::int64_t> nowMs)
{
    if (m_pinnedNow == nowMs)
        return;
    m_pinnedNow = nowMs;
    Q_EMIT nowPinned();
    Q_EMIT rangeChanged();
}

void ConsoleContext::setRange(const TimeRange &range)
{
    if (range == m_range)
        return;
    m_rangeHistory.push_back(m_range);
    if (m_rangeHistory.size() > 50)
        m_rangeHistory.erase(m_rangeHistory.begin());
    m_range = range;
    Q_EMIT rangeChanged();
}

void ConsoleContext::goBack()
{
    if (m_rangeHistory.empty())
        return;
    m_range = m_rangeHistory.back();
    m_rangeHistory.pop_back();
    Q_EMIT rangeChanged();
}

void ConsoleContext::setFilter(const LabelFilter &filter)
{
    if (sameFilter(filter, m_filter))
        return;
    m_filter = filter;
    Q_EMIT filterChanged();
}

void ConsoleContext::setCostDay(std::optional<double> dailyCapUsd, const QString &timeZone)
{
    if (dailyCapUsd == m_dailyCapUsd && timeZone == m_costTimeZone)
        return;
    m_dailyCapUsd = dailyCapUsd;
    m_costTimeZone = timeZone;
    Q_EMIT costDayChanged();
}

void ConsoleContext::notifyDataArrived()
{
    Q_EMIT dataArrived();
}

void ConsoleContext::tick()
{
    Q_EMIT ticked();
}

void ConsoleContext::requestPage(const QString &pageId)
{
    Q_EMIT pageRequested(pageId);
}

} // namespace vigil::ui
