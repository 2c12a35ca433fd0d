#include "charts/dashboard_charts.h"

#include "charts/chart_style.h"
#include "charts/time_chart_view.h"
#include "util/format.h"
#include "util/theme.h"
#include "util/time_range.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QToolTip>
#include <QValueAxis>

namespace vigil::ui {

namespace {

enum ChartKind { LatencyChart, OutcomeChart, ErrorChart, SpendChart, TokensChart, RetrievalChart };

QString outcomeLabel(int i)
{
    return QString::fromUtf8(outcomeName(static_cast<Outcome>(i)).data());
}

double middle(const DashboardSnapshot &s, const DashboardBucket &b)
{
    return static_cast<double>(b.startMs) + static_cast<double>(s.request.bucketMs) / 2.0;
}

} // namespace

DashboardCharts::DashboardCharts(QWidget *viewParent) : QObject(viewParent)
{
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &DashboardCharts::runStep);
    m_latencyView = addTimeChart(tr("Latency"), QStringLiteral("latencyChart"), viewParent, true);
    m_latencyView->logAxis()->setTitleText(tr("ms (log scale)"));
    const char *names[] = {"p50", "p95", "p99"};
    for (int i = 0; i < 3; ++i)
        m_percentiles[static_cast<std::size_t>(i)] = addLine(m_latencyView, QString::fromLatin1(names[i]), percentileColor(i));

    m_outcomeView = addTimeChart(tr("Requests by outcome"), QStringLiteral("outcomeChart"), viewParent);
    QLineSeries *lower = nullptr;
    for (int i = 0; i < kOutcomeCount; ++i) {
        QAreaSeries *area = addArea(m_outcomeView, outcomeLabel(i), outcomeColor(i), lower);
        m_outcomeTops[static_cast<std::size_t>(i)] = area->upperSeries();
        lower = area->upperSeries();
    }

    m_outcomeView->setRenderHint(QPainter::Antialiasing, false); // filled areas: costly to smooth, little gained
    m_errorView = addTimeChart(tr("Error rate"), QStringLiteral("errorRateChart"), viewParent);
    m_errorView->valueAxis()->setTitleText(tr("%"));
    m_errorRate = addLine(m_errorView, tr("errors"), outcomeColor(1));
    m_errorView->chart()->legend()->hide();

    m_spendView = addTimeChart(tr("Spend"), QStringLiteral("spendChart"), viewParent);
    m_spendView->valueAxis()->setTitleText(tr("USD"));
    m_spend = addArea(m_spendView, tr("spend"), QColor(0x2e, 0x9e, 0x8f), nullptr)->upperSeries();
    m_spendView->chart()->legend()->hide();
    m_spendView->setRenderHint(QPainter::Antialiasing, false);

    buildTenantChart(viewParent);

    m_tokensView = addTimeChart(tr("Tokens"), QStringLiteral("tokensChart"), viewParent);
    m_tokensIn = addLine(m_tokensView, tr("in"), QColor(0x3b, 0x82, 0xd6));
    m_tokensOut = addLine(m_tokensView, tr("out"), QColor(0xb0, 0x5c, 0xd0));

    m_retrievalView = addTimeChart(tr("Retrieval"), QStringLiteral("retrievalChart"), viewParent);
    m_retrievalView->valueAxis()->setTitleText(tr("hits per retrieval"));
    m_emptyAxis = m_retrievalView->addRightAxis(tr("% empty"));
    m_hitsPerRetrieval = addLine(m_retrievalView, tr("hits per retrieval"), QColor(0x2e, 0x9e, 0x8f));
    m_emptyRetrievals = addLine(m_retrievalView, tr("empty retrievals %"), QColor(0xd0, 0x7a, 0x2a), m_emptyAxis);

    for (int kind = LatencyChart; kind <= RetrievalChart; ++kind) {
        TimeChartView *view = m_timeCharts.at(kind);
        view->setDescriber([this, kind](std::int64_t bucket) { return describe(bucket, kind); });
    }
}

TimeChartView *DashboardCharts::addTimeChart(const QString &title, const QString &objectName, QWidget *parent,
                                             bool logScale)
{
    auto *view = new TimeChartView(title, logScale ? TimeChartView::Scale::Log : TimeChartView::Scale::Linear, parent);
    view->setObjectName(objectName);
    connect(view, &TimeChartView::rangeSelected, this, &DashboardCharts::rangeSelected);
    connect(view, &TimeChartView::bucketClicked, this, &DashboardCharts::bucketClicked);
    connect(view, &TimeChartView::bucketOpened, this, &DashboardCharts::bucketOpened);
    m_timeCharts << view;
    return view;
}

QLineSeries *DashboardCharts::addLine(TimeChartView *view, const QString &name, const QColor &colour, QValueAxis *axis)
{
    auto *series = new QLineSeries;
    series->setName(name);
    series->setPen(QPen(colour, 2));
    view->attach(series, axis);
    return series;
}

QAreaSeries *DashboardCharts::addArea(TimeChartView *view, const QString &name, const QColor &colour, QLineSeries *lower)
{
    auto *area = new QAreaSeries;
    auto *upper = new QLineSeries(area); // the area's edges live and die with it
    area->setUpperSeries(upper);
    if (lower)
        area->setLowerSeries(lower);
    area->setName(name);
    QColor fill = colour;
    fill.setAlpha(200);
    area->setBrush(fill);
    area->setPen(QPen(colour.darker(115), 1));
    view->attach(area);
    return area;
}

void DashboardCharts::buildTenantChart(QWidget *parent)
{
    auto *chart = new QChart;
    chart->setTitle(tr("Spend by tenant"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 2, 4, 2));
    m_tenantSeries = new QHorizontalBarSeries(chart);
    m_tenantSeries->setBarWidth(0.7);
    chart->addSeries(m_tenantSeries);
    m_tenantAxis = new QBarCategoryAxis(chart);
    m_tenantAxis->setTruncateLabels(false);
    chart->addAxis(m_tenantAxis, Qt::AlignLeft);
    m_tenantSeries->attachAxis(m_tenantAxis);
    m_tenantValueAxis = new QValueAxis(chart);
    m_tenantValueAxis->setTitleText(tr("USD"));
    m_tenantValueAxis->setTickCount(5);
    chart->addAxis(m_tenantValueAxis, Qt::AlignBottom);
    m_tenantSeries->attachAxis(m_tenantValueAxis);
    m_tenantView = new QChartView(chart, parent);
    m_tenantView->setObjectName(QStringLiteral("tenantSpendChart"));
    m_tenantView->setRenderHint(QPainter::Antialiasing);
    m_tenantView->setMinimumHeight(210);
    styleChart(chart, parent->palette());
}

QList<QChartView *> DashboardCharts::allViews() const
{
    QList<QChartView *> views;
    for (TimeChartView *v : m_timeCharts)
        views << v;
    views.insert(4, m_tenantView);
    return views;
}

void DashboardCharts::setMarkers(const QList<ChartMarker> &markers)
{
    for (TimeChartView *v : m_timeCharts)
        v->setMarkers(markers);
}

void DashboardCharts::show(std::shared_ptr<const DashboardSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    const DashboardSnapshot &s = *m_snapshot;
    const auto n = static_cast<qsizetype>(s.buckets.size());
    // The points of every series first (cheap, no chart involved) ...
    auto percentiles = std::make_shared<std::array<QList<QPointF>, 3>>();
    auto outcomes = std::make_shared<std::array<QList<QPointF>, kOutcomeCount>>();
    auto errors = std::make_shared<QList<QPointF>>(), spend = std::make_shared<QList<QPointF>>();
    auto tokensIn = std::make_shared<QList<QPointF>>(), tokensOut = std::make_shared<QList<QPointF>>();
    auto hits = std::make_shared<QList<QPointF>>(), empty = std::make_shared<QList<QPointF>>();
    for (auto &l : *percentiles)
        l.reserve(n);
    double minLatency = 0, maxLatency = 0, maxRequests = 0, maxError = 0, maxSpend = 0, maxTokens = 0, maxHits = 0,
           maxEmpty = 0;
    for (const DashboardBucket &b : s.buckets) {
        // A last bucket that has barely begun (the minute now running) would
        // draw a cliff in the counts and a wild swing in the rates: it is left
        // off the charts until half of it has passed (the totals count it).
        if (&b == &s.buckets.back() && s.buckets.size() > 1 && s.request.window.toMs - b.startMs < s.request.bucketMs / 2)
            break;
        const double x = middle(s, b);
        const std::optional<double> ps[] = {b.p50, b.p95, b.p99};
        for (std::size_t i = 0; i < 3; ++i) {
            if (ps[i]) {
                (*percentiles)[i] << QPointF(x, *ps[i]);
                maxLatency = std::max(maxLatency, *ps[i]);
                minLatency = minLatency > 0 ? std::min(minLatency, *ps[i]) : *ps[i];
            }
        }
        double stacked = 0;
        for (std::size_t i = 0; i < kOutcomeCount; ++i) {
            stacked += static_cast<double>(b.byOutcome[i]);
            (*outcomes)[i] << QPointF(x, stacked);
        }
        maxRequests = std::max(maxRequests, stacked);
        if (const auto rate = b.errorRate()) {
            *errors << QPointF(x, *rate * 100);
            maxError = std::max(maxError, *rate * 100);
        }
        *spend << QPointF(x, b.costUsd);
        maxSpend = std::max(maxSpend, b.costUsd);
        *tokensIn << QPointF(x, static_cast<double>(b.inputTokens));
        *tokensOut << QPointF(x, static_cast<double>(b.outputTokens));
        maxTokens = std::max({maxTokens, static_cast<double>(b.inputTokens), static_cast<double>(b.outputTokens)});
        if (const auto h = b.hitsPerRetrieval()) {
            *hits << QPointF(x, *h);
            maxHits = std::max(maxHits, *h);
        }
        if (const auto e = b.emptyRetrievalShare()) {
            *empty << QPointF(x, *e * 100);
            maxEmpty = std::max(maxEmpty, *e * 100);
        }
    }
    // ... then one chart per step. replace() swaps a series' points in one go.
    const TimeWindow window = s.request.window;
    const std::int64_t bucket = s.request.bucketMs;
    const bool exact = s.latencyExact;
    const double totalSpend = s.totals.costUsd;
    m_steps.clear();
    m_steps.push_back([=, this] {
        for (std::size_t i = 0; i < 3; ++i)
            m_percentiles[i]->replace((*percentiles)[i]);
        m_latencyView->setWindow(window, bucket);
        TimeChartView::fitLogAxis(m_latencyView->logAxis(), minLatency, maxLatency);
        m_latencyView->chart()->setTitle(exact ? tr("Latency (exact)") : tr("Latency (sketch, within 1%)"));
    });
    m_steps.push_back([=, this] {
        for (std::size_t i = 0; i < kOutcomeCount; ++i)
            m_outcomeTops[i]->replace((*outcomes)[i]);
        m_outcomeView->setWindow(window, bucket);
        TimeChartView::fitValueAxis(m_outcomeView->valueAxis(), maxRequests);
        m_outcomeView->chart()->setTitle(tr("Requests by outcome, per %1").arg(bucketName(bucket)));
    });
    m_steps.push_back([=, this] {
        m_errorRate->replace(*errors);
        m_errorView->setWindow(window, bucket);
        TimeChartView::fitValueAxis(m_errorView->valueAxis(), std::max(maxError, 1.0));
    });
    m_steps.push_back([=, this] {
        m_spend->replace(*spend);
        m_spendView->setWindow(window, bucket);
        TimeChartView::fitValueAxis(m_spendView->valueAxis(), maxSpend);
        m_spendView->chart()->setTitle(tr("Spend per %1: %2 in the window").arg(bucketName(bucket), formatUsd(totalSpend)));
    });
    m_steps.push_back([this, keep = m_snapshot] { showTenantSpend(*keep); });
    m_steps.push_back([=, this] {
        m_tokensIn->replace(*tokensIn);
        m_tokensOut->replace(*tokensOut);
        m_tokensView->setWindow(window, bucket);
        TimeChartView::fitValueAxis(m_tokensView->valueAxis(), maxTokens);
    });
    m_steps.push_back([=, this] {
        m_hitsPerRetrieval->replace(*hits);
        m_emptyRetrievals->replace(*empty);
        m_retrievalView->setWindow(window, bucket);
        TimeChartView::fitValueAxis(m_retrievalView->valueAxis(), maxHits);
        TimeChartView::fitValueAxis(m_emptyAxis, std::max(maxEmpty, 1.0));
    });
    runStep();
}

void DashboardCharts::runStep()
{
    if (m_steps.empty())
        return;
    const std::function<void()> step = std::move(m_steps.front());
    m_steps.pop_front();
    step();
    if (m_steps.empty()) {
        Q_EMIT shown();
        return;
    }
    // The next chart after this one was painted: the repaint request is a
    // posted event and runs before a zero timer does.
    m_stepTimer.start(0);
}

void DashboardCharts::showTenantSpend(const DashboardSnapshot &s)
{
    m_tenantSeries->clear(); // deletes the old bar set
    auto *set = new QBarSet(tr("spend"));
    set->setColor(QColor(0x2e, 0x9e, 0x8f));
    QStringList categories;
    double max = 0;
    // Horizontal bars are drawn bottom-up: add the biggest spender last so it is on top.
    for (auto it = s.spendByTenant.rbegin(); it != s.spendByTenant.rend(); ++it) {
        const QString name = it->tenant.empty() ? tr("%1 others").arg(it->tenantsInRest) : QString::fromStdString(it->tenant);
        categories << name;
        *set << it->costUsd;
        max = std::max(max, it->costUsd);
    }
    m_tenantAxis->setCategories(categories);
    m_tenantSeries->append(set);
    TimeChartView::fitValueAxis(m_tenantValueAxis, max);
    m_tenantValueAxis->setLabelFormat(max < 1 ? QStringLiteral("%.3f") : QStringLiteral("%.2f"));
    const std::vector<TenantSpend> spend(s.spendByTenant.rbegin(), s.spendByTenant.rend());
    connect(set, &QBarSet::hovered, this, [this, spend](bool status, int index) {
        if (!status || index < 0 || static_cast<std::size_t>(index) >= spend.size()) {
            QToolTip::hideText();
            return;
        }
        const TenantSpend &t = spend[static_cast<std::size_t>(index)];
        const QString who = t.tenant.empty() ? tr("%1 other tenants").arg(t.tenantsInRest) : QString::fromStdString(t.tenant);
        QToolTip::showText(QCursor::pos(), tr("%1: %2 over %3 requests%4")
                                               .arg(who, formatUsd(t.costUsd), formatCount(static_cast<long long>(t.requests)),
                                                    t.tenant.empty() ? QString() : tr("\nclick to filter by this tenant")),
                           m_tenantView);
    });
    connect(set, &QBarSet::clicked, this, [this, spend](int index) {
        if (index >= 0 && static_cast<std::size_t>(index) < spend.size() && !spend[static_cast<std::size_t>(index)].tenant.empty())
            Q_EMIT tenantClicked(QString::fromStdString(spend[static_cast<std::size_t>(index)].tenant));
    });
    styleChart(m_tenantView->chart(), m_tenantView->palette());
}

QString DashboardCharts::describe(std::int64_t bucketStartMs, int chart) const
{
    if (!m_snapshot)
        return {};
    const DashboardBucket *b = m_snapshot->bucketAt(bucketStartMs);
    if (!b)
        return {};
    QString text = formatWindow(b->startMs, b->startMs + m_snapshot->request.bucketMs) + QLatin1Char('\n');
    const QString requests = tr("%1 requests").arg(formatCount(static_cast<long long>(b->requests)));
    switch (chart) {
    case LatencyChart:
        text += tr("p50 %1\np95 %2\np99 %3\n%4").arg(formatMs(b->p50), formatMs(b->p95), formatMs(b->p99), requests);
        break;
    case OutcomeChart:
        text += requests;
        for (int i = 0; i < kOutcomeCount; ++i) {
            if (const auto count = b->byOutcome[static_cast<std::size_t>(i)])
                text += QStringLiteral("\n%1 %2").arg(outcomeLabel(i), formatCount(static_cast<long long>(count)));
        }
        break;
    case ErrorChart:
        text += tr("error rate %1\n%2 of %3").arg(formatPercent(b->errorRate()),
                                                  formatCount(static_cast<long long>(b->requests - b->byOutcome[0])), requests);
        break;
    case SpendChart: text += tr("%1\n%2").arg(formatUsd(b->costUsd), requests); break;
    case TokensChart:
        text += tr("in %1\nout %2").arg(formatCount(b->inputTokens), formatCount(b->outputTokens));
        break;
    case RetrievalChart: {
        const auto h = b->hitsPerRetrieval();
        text += tr("%1 retrievals\n%2 hits per retrieval\n%3 empty")
                    .arg(formatCount(static_cast<long long>(b->retrievalRequests)),
                         h ? QString::number(*h, 'f', 2) : QStringLiteral("-"), formatPercent(b->emptyRetrievalShare()));
        break;
    }
    default: break;
    }
    return text;
}

} // namespace vigil::ui
