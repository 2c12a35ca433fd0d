#include "pages/dashboard_page.h"

#include "charts/dashboard_charts.h"
#include "charts/time_chart_view.h"
#include "pages/filter_bar.h"
#include "pages/searchable_combo.h"
#include "shell/console_context.h"
#include "util/format.h"
#include "util/time_range.h"

#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace vigil::ui {

DashboardPage::DashboardPage(ConsoleContext &context, QWidget *parent) : Page(context, parent)
{
    setObjectName(QStringLiteral("dashboardPage"));
    m_filterBar = new FilterBar(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("dashboardSummary"));
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_hint = new QLabel(tr("Drag across a chart to zoom · click a bucket to narrow to it · double-click for its calls · Alt+Left goes back"), this);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    auto *summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_summary);
    summaryRow->addStretch();
    summaryRow->addWidget(m_hint);

    auto *grid = new QWidget;
    m_grid = new QGridLayout(grid);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(8);
    m_charts = new DashboardCharts(grid);
    layoutCharts(2);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(grid);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    layout->addWidget(m_filterBar);
    layout->addLayout(summaryRow);
    layout->addWidget(scroll, 1);

    connect(m_filterBar, &FilterBar::filterEdited, this, [this](const LabelFilter &f) { this->context().setFilter(f); });
    connect(&context, &ConsoleContext::filterChanged, this, [this] {
        m_filterBar->setFilter(this->context().filter());
        if (isVisible())
            refreshNow();
        else
            refreshSoon();
    });
    connect(&context, &ConsoleContext::storeChanged, this, [this] {
        m_options = {};
        m_filterBar->setOptions({});
    });
    connect(m_charts, &DashboardCharts::shown, this, &DashboardPage::refreshed);
    connect(m_charts, &DashboardCharts::rangeSelected, this,
            [this](qint64 from, qint64 to) { this->context().setRange(TimeRange::custom(from, to)); });
    connect(m_charts, &DashboardCharts::bucketClicked, this, [this](qint64 start) {
        if (const DashboardSnapshot *s = snapshot())
            this->context().setRange(TimeRange::custom(start, std::min<std::int64_t>(start + s->request.bucketMs, s->request.window.toMs)));
    });
    connect(m_charts, &DashboardCharts::bucketOpened, this, &DashboardPage::callsRequested);
    connect(m_charts, &DashboardCharts::tenantClicked, this, [this](const QString &tenant) {
        LabelFilter f = this->context().filter();
        f.tenant = tenant.toStdString();
        this->context().setFilter(f);
    });
    m_filterBar->setFilter(context.filter());
}

DashboardPage::~DashboardPage() = default;

bool DashboardPage::isLoading() const
{
    return m_query.inFlight() || m_optionsQuery.inFlight() || m_charts->isDrawing();
}

QIcon DashboardPage::icon() const
{
    return QIcon(QStringLiteral(":/vigil/icons/dashboard.svg"));
}

const DashboardSnapshot *DashboardPage::snapshot() const
{
    return m_charts->snapshot();
}

QList<TimeChartView *> DashboardPage::timeCharts() const
{
    return m_charts->timeCharts();
}

QList<QChartView *> DashboardPage::charts() const
{
    return m_charts->allViews();
}

void DashboardPage::layoutCharts(int columns)
{
    if (columns == m_columns)
        return;
    m_columns = columns;
    const QList<QChartView *> views = m_charts->allViews();
    for (QChartView *v : views)
        m_grid->removeWidget(v);
    for (int i = 0; i < views.size(); ++i)
        m_grid->addWidget(views.at(i), i / columns, i % columns);
    const int rows = static_cast<int>((views.size() + columns - 1) / columns);
    for (int row = 0; row < 4; ++row)
        m_grid->setRowStretch(row, row < rows ? 1 : 0);
    for (int column = 0; column < 3; ++column)
        m_grid->setColumnStretch(column, column < columns ? 1 : 0);
}

void DashboardPage::resizeEvent(QResizeEvent *event)
{
    Page::resizeEvent(event);
    // Three charts side by side when there is room: all seven fit on one screen.
    layoutCharts(width() >= 1250 ? 3 : 2);
}

void DashboardPage::setMarkers(const QList<ChartMarker> &markers)
{
    m_markers = markers;
    m_charts->setMarkers(markers);
}

void DashboardPage::focusFilters()
{
    m_filterBar->tenantCombo()->setFocus(Qt::ShortcutFocusReason);
}

void DashboardPage::refresh()
{
    DashboardRequest request;
    const TimeWindow window = context().range().resolve(context().nowMs());
    request.bucketMs = chooseBucketMs(window.lengthMs());
    request.window = alignToBuckets(window, request.bucketMs);
    request.filter = context().filter();
    m_summary->setText(tr("%1 · %2 · loading…").arg(context().range().label(), tr("per %1").arg(bucketName(request.bucketMs))));
    const LatestQuery::Ticket ticket = m_query.next();
    context().queries().run<DashboardSnapshot>(
        this, ticket.cancel,
        [request](MetricsReader &reader, const std::atomic<bool> &cancel) { return computeDashboard(reader, request, cancel); },
        [this, generation = ticket.generation](DashboardSnapshot s) {
            if (!m_query.accept(generation))
                return; // an answer for a range or filter the user already left
            show(std::make_shared<const DashboardSnapshot>(std::move(s))); // refreshed() once drawn
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (!m_query.accept(generation))
                return;
            m_summary->setText(tr("The store could not be read: %1").arg(failure.message));
            refreshed();
        });
    refreshOptions();
}

void DashboardPage::refreshOptions()
{
    if (m_optionsQuery.inFlight())
        return;
    const LatestQuery::Ticket ticket = m_optionsQuery.next();
    context().queries().run<FilterOptions>(
        this, ticket.cancel,
        [](MetricsReader &reader, const std::atomic<bool> &) { return filterOptionsFrom(reader.labels()); },
        [this, generation = ticket.generation](FilterOptions options) {
            if (!m_optionsQuery.accept(generation))
                return;
            m_options = std::move(options);
            m_filterBar->setOptions(m_options);
        },
        [this, generation = ticket.generation](const QueryFailure &) { m_optionsQuery.accept(generation); });
}

void DashboardPage::show(std::shared_ptr<const DashboardSnapshot> snapshot)
{
    const DashboardSnapshot &s = *snapshot;
    m_summary->setText(tr("%1 · %2 requests · %3 errors · %4 · p95 %5 · per %6")
                           .arg(context().range().label(), formatCount(static_cast<long long>(s.totals.requests)),
                                formatPercent(s.totals.errorRate()), formatUsd(s.totals.costUsd),
                                formatMs(s.totals.latency.p95), bucketName(s.request.bucketMs)));
    m_charts->show(std::move(snapshot));
}

} // namespace vigil::ui
