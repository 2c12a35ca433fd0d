#include "pages/overview_page.h"

#include "charts/time_chart_view.h"
#include "models/movers_model.h"
#include "pages/banner.h"
#include "pages/metric_tile.h"
#include "query/prompt_versions.h"
#include "shell/console_context.h"
#include "util/format.h"
#include "util/theme.h"

#include <QChart>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {

QString changeDetail(const QString &before, const QString &change)
{
    if (before == QStringLiteral("-"))
        return QObject::tr("nothing in the window before");
    return change.isEmpty() ? QObject::tr("was %1").arg(before) : QObject::tr("was %1 (%2)").arg(before, change);
}

} // namespace

OverviewPage::OverviewPage(ConsoleContext &context, QWidget *parent) : Page(context, parent)
{
    setObjectName(QStringLiteral("overviewPage"));
    m_banner = new Banner(this);
    m_heading = new QLabel(this);
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_asOf = new QLabel(this);
    m_asOf->setObjectName(QStringLiteral("dataAsOf"));
    auto *headingRow = new QHBoxLayout;
    headingRow->addWidget(m_heading);
    headingRow->addStretch();
    headingRow->addWidget(m_asOf);

    m_p50 = new MetricTile(tr("p50 latency"), this);
    m_p95 = new MetricTile(tr("p95 latency"), this);
    m_errors = new MetricTile(tr("Error rate"), this);
    m_requests = new MetricTile(tr("Requests"), this);
    m_spend = new MetricTile(tr("Spend today (%1)").arg(context.costTimeZone()), this);
    auto *tiles = new QHBoxLayout;
    for (MetricTile *t : {m_p50, m_p95, m_errors, m_requests, m_spend})
        tiles->addWidget(t, 1);

    m_trend = new TimeChartView(tr("p95 latency and error rate"), TimeChartView::Scale::Log, this);
    m_trend->setObjectName(QStringLiteral("overviewTrend"));
    m_trend->logAxis()->setTitleText(tr("p95 ms (log)"));
    m_trendErrorAxis = m_trend->addRightAxis(tr("errors %"));
    m_trendP95 = new QLineSeries;
    m_trendP95->setName(tr("p95 latency"));
    m_trendP95->setPen(QPen(percentileColor(0), 2));
    m_trend->attach(m_trendP95);
    m_trendErrors = new QLineSeries;
    m_trendErrors->setName(tr("error rate"));
    m_trendErrors->setPen(QPen(outcomeColor(1), 2));
    m_trend->attach(m_trendErrors, m_trendErrorAxis);
    m_trend->setMinimumHeight(190);
    m_trend->setDescriber([this](std::int64_t bucket) -> QString {
        if (!m_snapshot)
            return {};
        for (const TrendPoint &p : m_snapshot->trend) {
            if (p.startMs == bucket)
                return tr("%1\np95 %2\nerror rate %3\n%4 requests")
                    .arg(formatWindow(p.startMs, p.startMs + m_snapshot->trendBucketMs), formatMs(p.p95),
                         formatPercent(p.errorRate), formatCount(static_cast<long long>(p.requests)));
        }
        return {};
    });
    // On the overview a drag or a click narrows the window for every page.
    connect(m_trend, &TimeChartView::rangeSelected, this,
            [this](qint64 from, qint64 to) { this->context().setRange(TimeRange::custom(from, to)); });
    connect(m_trend, &TimeChartView::bucketClicked, this, [this](qint64 start) {
        if (m_snapshot)
            this->context().setRange(TimeRange::custom(start, start + m_snapshot->trendBucketMs));
    });

    m_latencyMovers = new MoversModel(MoverMetric::P95Latency, this);
    m_errorMovers = new MoversModel(MoverMetric::ErrorRate, this);
    auto *latencyBox = new QGroupBox(tr("p95 latency got worse"), this);
    (new QVBoxLayout(latencyBox))->addWidget(makeMoversView(m_latencyMovers));
    auto *errorBox = new QGroupBox(tr("Error rate got worse"), this);
    (new QVBoxLayout(errorBox))->addWidget(makeMoversView(m_errorMovers));
    auto *movers = new QHBoxLayout;
    movers->addWidget(latencyBox, 1);
    movers->addWidget(errorBox, 1);
    m_moversNote = new QLabel(tr("Compared with the window before. * a prompt version that is new in this window, "
                                 "compared with its prompt as a whole before. Double-click a row to open the "
                                 "dashboard filtered to it."),
                              this);
    m_moversNote->setWordWrap(true);
    m_moversNote->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addLayout(headingRow);
    layout->addLayout(tiles);
    layout->addWidget(m_trend, 3);
    layout->addLayout(movers, 2);
    layout->addWidget(m_moversNote);

    m_freshnessTimer.setInterval(1000);
    connect(&m_freshnessTimer, &QTimer::timeout, this, &OverviewPage::updateFreshness);
    m_freshnessTimer.start();
    connect(&context, &ConsoleContext::costDayChanged, this, [this] { refreshSoon(); });
    connect(&context, &ConsoleContext::storeChanged, this, [this] {
        m_snapshot.reset();
        updateFreshness();
    });
}

OverviewPage::~OverviewPage() = default;

QIcon OverviewPage::icon() const
{
    return QIcon(QStringLiteral(":/vigil/icons/overview.svg"));
}

QTableView *OverviewPage::makeMoversView(MoversModel *model)
{
    auto *view = new QTableView(this);
    view->setObjectName(model->metric() == MoverMetric::P95Latency ? QStringLiteral("latencyMoversView")
                                                                   : QStringLiteral("errorMoversView"));
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(MoversModel::NameColumn, QHeaderView::Stretch);
    view->setMinimumHeight(150);
    connect(view, &QTableView::doubleClicked, this, &OverviewPage::openMover);
    connect(view, &QTableView::activated, this, &OverviewPage::openMover);
    return view;
}

void OverviewPage::setMarkers(const QList<ChartMarker> &markers)
{
    m_trend->setMarkers(markers);
}

void OverviewPage::refresh()
{
    OverviewRequest request;
    request.nowMs = context().nowMs();
    request.window = context().range().resolve(request.nowMs);
    request.dailyCapUsd = context().dailyCapUsd();
    request.spendTimeZone = context().costTimeZone().toStdString();
    m_heading->setText(tr("%1 · %2, compared with %3").arg(context().range().label(),
                                                            formatWindow(request.window.fromMs, request.window.toMs),
                                                            formatWindow(request.window.previous().fromMs, request.window.previous().toMs)));
    const LatestQuery::Ticket ticket = m_query.next();
    context().queries().run<OverviewSnapshot>(
        this, ticket.cancel,
        [request](MetricsReader &reader, const std::atomic<bool> &cancel) { return computeOverview(reader, request, cancel); },
        [this, generation = ticket.generation](OverviewSnapshot snapshot) {
            if (!m_query.accept(generation))
                return;
            show(std::make_shared<const OverviewSnapshot>(std::move(snapshot)));
            refreshed();
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (!m_query.accept(generation))
                return;
            m_banner->setMessage(tr("The store could not be read: %1").arg(failure.message));
            refreshed();
        });
}

void OverviewPage::show(std::shared_ptr<const OverviewSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    showTiles(*m_snapshot);
    showTrend(*m_snapshot);
    m_latencyMovers->setMovers(m_snapshot->movers.latency);
    m_errorMovers->setMovers(m_snapshot->movers.errors);
    updateFreshness();
}

void OverviewPage::showTiles(const OverviewSnapshot &s)
{
    const Thresholds &t = context().thresholds();
    const LatencySummary &now = s.current.latency, &before = s.previous.latency;
    m_p50->setValue(formatMs(now.p50), t.latency(now.p50, before.p50, t.p50WarnMs, t.p50BadMs));
    m_p50->setDetail(changeDetail(formatMs(before.p50), formatRelativeChange(now.p50, before.p50)));
    m_p95->setValue(formatMs(now.p95), t.latency(now.p95, before.p95, t.p95WarnMs, t.p95BadMs));
    m_p95->setDetail(changeDetail(formatMs(before.p95), formatRelativeChange(now.p95, before.p95)));
    const QString how = now.exact ? tr("exact (nearest rank)") : tr("from the rollup sketches, within 1%");
    m_p50->setToolTip(how);
    m_p95->setToolTip(how);

    const auto rate = s.current.errorRate(), rateBefore = s.previous.errorRate();
    m_errors->setValue(formatPercent(rate), t.errorRate(rate, rateBefore));
    QString errorDetail = changeDetail(formatPercent(rateBefore), formatPointChange(rate, rateBefore));
    if (!s.current.errorTypes.empty()) {
        const auto top = std::max_element(s.current.errorTypes.begin(), s.current.errorTypes.end(),
                                          [](const auto &a, const auto &b) { return a.second < b.second; });
        errorDetail += tr("\nmost: %1 (%2)").arg(QString::fromStdString(top->first), formatCount(static_cast<long long>(top->second)));
    }
    m_errors->setDetail(errorDetail);

    const auto requestsNow = static_cast<double>(s.current.requests);
    const auto requestsBefore = static_cast<double>(s.previous.requests);
    m_requests->setValue(formatCount(static_cast<long long>(s.current.requests)),
                         s.current.requests == 0 ? Severity::Warning : Severity::Unknown);
    m_requests->setDetail(changeDetail(formatCount(static_cast<long long>(s.previous.requests)),
                                       s.previous.requests ? formatRelativeChange(requestsNow, requestsBefore) : QString()));

    const QString zone = QString::fromStdString(s.request.spendTimeZone);
    m_spend->setCaption(tr("Spend today (%1)").arg(zone));
    m_spend->setValue(formatUsd(s.spendTodayUsd), t.spend(s.spendTodayUsd, s.request.dailyCapUsd));
    if (s.request.dailyCapUsd && *s.request.dailyCapUsd > 0)
        m_spend->setDetail(tr("of the %1 daily cap (%2)")
                               .arg(formatUsd(*s.request.dailyCapUsd), formatPercent(s.spendTodayUsd / *s.request.dailyCapUsd)));
    else
        m_spend->setDetail(tr("%1 requests since 00:00 %2\nno daily cap set").arg(formatCount(static_cast<long long>(s.requestsToday)), zone));
}

void OverviewPage::showTrend(const OverviewSnapshot &s)
{
    QList<QPointF> p95, errors;
    double minP95 = 0, maxP95 = 0, maxErrors = 0;
    for (const TrendPoint &p : s.trend) {
        // As on the dashboard: a bucket that has barely begun is left off.
        if (&p == &s.trend.back() && s.trend.size() > 1 && s.request.window.toMs - p.startMs < s.trendBucketMs / 2)
            break;
        const double x = static_cast<double>(p.startMs) + static_cast<double>(s.trendBucketMs) / 2.0;
        if (p.p95) {
            p95 << QPointF(x, *p.p95);
            maxP95 = std::max(maxP95, *p.p95);
            minP95 = minP95 > 0 ? std::min(minP95, *p.p95) : *p.p95;
        }
        if (p.errorRate) {
            errors << QPointF(x, *p.errorRate * 100);
            maxErrors = std::max(maxErrors, *p.errorRate * 100);
        }
    }
    m_trendP95->replace(p95);
    m_trendErrors->replace(errors);
    m_trend->setWindow(alignToBuckets(s.request.window, s.trendBucketMs), s.trendBucketMs);
    TimeChartView::fitLogAxis(m_trend->logAxis(), minP95, maxP95);
    TimeChartView::fitValueAxis(m_trendErrorAxis, std::max(maxErrors, 1.0));
    m_trend->chart()->setTitle(tr("p95 latency and error rate, per %1").arg(bucketName(s.trendBucketMs)));
}

void OverviewPage::updateFreshness()
{
    if (!context().hasStore() || !m_snapshot) {
        m_asOf->setText(context().hasStore() ? tr("Loading…") : QString());
        m_banner->setMessage(QString());
        return;
    }
    const OverviewSnapshot &s = *m_snapshot;
    const std::int64_t now = context().nowMs();
    if (s.lastCommitMs)
        m_asOf->setText(tr("Data as of %1 (%2 ago)").arg(formatClock(*s.lastCommitMs), formatAge(now - *s.lastCommitMs)));
    else
        m_asOf->setText(tr("No data yet"));
    m_asOf->setToolTip(s.latestRecordMs ? tr("Newest request: %1").arg(formatDateTime(*s.latestRecordMs)) : QString());

    QString banner;
    const std::int64_t staleAfter = context().thresholds().staleAfterMs;
    if (!s.lastCommitMs && !s.latestRecordMs) {
        banner = tr("This store holds no requests yet. Open log files (Ctrl+O), follow a log (Ctrl+Shift+F) "
                    "or drop files on the window.");
    } else if (s.lastCommitMs && now - *s.lastCommitMs > staleAfter) {
        banner = tr("No new data has arrived for %1 (last at %2). These figures may be out of date: check that "
                    "the logs are still being ingested.")
                     .arg(formatAge(now - *s.lastCommitMs), formatDateTime(*s.lastCommitMs));
    } else if (s.current.requests == 0) {
        banner = tr("No requests in this window.%1")
                     .arg(s.latestRecordMs ? tr(" The newest request is from %1.").arg(formatDateTime(*s.latestRecordMs))
                                           : QString());
    }
    m_banner->setMessage(banner);
}

QString OverviewPage::bannerText() const
{
    return m_banner->message();
}

QString OverviewPage::dataAsOfText() const
{
    return m_asOf->text();
}

void OverviewPage::openMover(const QModelIndex &index)
{
    const auto *model = qobject_cast<const MoversModel *>(index.model());
    const Mover *m = model ? model->moverAt(index.row()) : nullptr;
    if (!m)
        return;
    LabelFilter filter;
    switch (m->dimension) {
    case MoverDimension::Provider: filter.provider = m->key; break;
    case MoverDimension::Model: filter.model = m->key; break;
    case MoverDimension::Tenant: filter.tenant = m->key; break;
    case MoverDimension::PromptVersion: {
        const PromptAndVersion pv = splitPromptKey(m->key);
        filter.promptName = pv.name;
        filter.promptVersion = pv.version;
        break;
    }
    }
    context().setFilter(filter);
    context().requestPage(QStringLiteral("dashboard"));
}

} // namespace vigil::ui
