#pragma once

#include "query/query_service.h"
#include "util/thresholds.h"
#include "util/time_range.h"

#include "store/labels.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace vigil::ui {

class IngestController;

// What every page shares: the open store, the query service, the clock (which
// tests and replays can pin), the chosen time range and label filter, and the
// thresholds. Pages listen to its signals; the main window drives it.
class ConsoleContext final : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleContext(QObject *parent = nullptr);
    ~ConsoleContext() override;
    Q_DISABLE_COPY_MOVE(ConsoleContext)

    QueryService &queries() { return *m_queries; }
    IngestController &ingest() { return *m_ingest; }

    QString storePath() const { return m_storePath; }
    bool hasStore() const { return !m_storePath.isEmpty(); }
    bool readOnly() const { return m_readOnly; }
    void setStore(const QString &path, bool readOnly);
    void clearStore();

    // "Now" for every window: the wall clock, or a pinned instant.
    std::int64_t nowMs() const;
    std::optional<std::int64_t> pinnedNow() const { return m_pinnedNow; }
    void pinNow(std::optional<std::int64_t> nowMs);

    TimeRange range() const { return m_range; }
    void setRange(const TimeRange &range);
    bool canGoBack() const { return !m_rangeHistory.empty(); }
    void goBack(); // the range before the last zoom or pick

    LabelFilter filter() const { return m_filter; }
    void setFilter(const LabelFilter &filter);

    const Thresholds &thresholds() const { return m_thresholds; }
    // The cost day the overview's spend tile counts: the daily cap to compare
    // with (none: the overview says so) and the [costs] time zone whose
    // calendar day it sums, as the Costs page and the cost alerts do.
    std::optional<double> dailyCapUsd() const { return m_dailyCapUsd; }
    QString costTimeZone() const { return m_costTimeZone; }
    void setCostDay(std::optional<double> dailyCapUsd, const QString &timeZone);

    // New data reached the store (an ingest from this window or another process).
    void notifyDataArrived();
    // The clock moved on: sliding ranges should be recomputed.
    void tick();
    void requestPage(const QString &pageId);

Q_SIGNALS:
    void storeChanged();
    void rangeChanged();
    void filterChanged();
    void dataArrived();
    void ticked();
    void nowPinned();
    void costDayChanged();
    void pageRequested(const QString &pageId);

private:
    QueryService *m_queries = nullptr;
    IngestController *m_ingest = nullptr;
    QString m_storePath;
    bool m_readOnly = false;
    std::optional<std::int64_t> m_pinnedNow;
    TimeRange m_range;
    std::vector<TimeRange> m_rangeHistory;
    LabelFilter m_filter;
    Thresholds m_thresholds;
    std::optional<double> m_dailyCapUsd;
    QString m_costTimeZone = QStringLiteral("UTC");
};

bool sameFilter(const LabelFilter &a, const LabelFilter &b);

} // namespace vigil::ui
