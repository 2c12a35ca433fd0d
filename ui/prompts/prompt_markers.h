#pragma once

#include "charts/chart_marker.h"
#include "query/latest_query.h"

#include <QList>
#include <QObject>

namespace vigil::ui {

class ConsoleContext;

// The prompt activations within the chosen range, as chart markers
// ("summarize@a1b2c3d"): read from the store off the UI thread whenever the
// store, the range or the clock moves, and after every switch.
class PromptMarkers final : public QObject
{
    Q_OBJECT

public:
    explicit PromptMarkers(ConsoleContext &context, QObject *parent = nullptr);

    void reload();
    QList<ChartMarker> markers() const { return m_markers; }
    bool isLoading() const { return m_query.inFlight(); }

    static QColor color();

Q_SIGNALS:
    void markersChanged(const QList<vigil::ui::ChartMarker> &markers);

private:
    ConsoleContext &m_context;
    LatestQuery m_query;
    QList<ChartMarker> m_markers;
};

} // namespace vigil::ui
