// Audit page responsiveness on a big store (the audit mode of the UI latency
// benchmark; run by hand, not a CTest test):
//
//   bench_audit_ui STORE [--rows N] [--search "TWO WORDS"] [--range 24h|7d|...] [--now MS]
//
// Opens STORE read-only in the real window (offscreen unless QT_QPA_PLATFORM
// says otherwise) and measures, with a 5 ms event-loop probe running all the
// while (its lateness is how long the UI thread was busy):
//   - time to first rows when the Audit page is opened, and after each
//     filter, sort and search change;
//   - scrolling down N rows (default 10,000) a page at a time every 16 ms,
//     the table fetching chunks as it goes: the max UI-thread stall, and how
//     long a chunk took at the top and at the bottom (keyset pagination keeps
//     them alike).
// The search index must have been built (vigilctl ingest does it).
#include "audit/audit_page.h"
#include "audit/audit_filter_bar.h"
#include "audit/audit_table_model.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "store/metrics_reader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace vigil;
using namespace vigil::ui;

namespace {

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p / 100.0 * static_cast<double>(v.size()))));
    return v[std::min(rank, v.size()) - 1];
}

double maxOf(const std::vector<double> &v)
{
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

// The event-loop probe: stalls (wall) and UI-thread CPU between ticks.
class Probe
{
public:
    Probe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kProbeMs);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 t = m_clock.nsecsElapsed();
            const double cpu = threadCpuMs();
            stalls.push_back(std::max(0.0, static_cast<double>(t - m_last) / 1e6 - kProbeMs));
            busy.push_back(cpu - m_lastCpu);
            m_last = t;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        stalls.clear();
        busy.clear();
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_lastCpu = threadCpuMs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    std::vector<double> stalls, busy;

private:
    static constexpr int kProbeMs = 5;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_lastCpu = 0;
};

void quietOffscreenChatter(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")) || message.contains(QLatin1String("XDG_RUNTIME_DIR")))
        return;
    std::fprintf(stderr, "%s%s\n", type == QtWarningMsg ? "warning: " : "", qPrintable(message));
}

} // namespace

int main(int argc, char *argv[])
{
    qInstallMessageHandler(quietOffscreenChatter);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vigil-bench"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("store"), QStringLiteral("The store to open (read-only)."));
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Rows to scroll through (default 10000)."), QStringLiteral("n"),
                      QStringLiteral("10000")});
    parser.addOption({QStringLiteral("search"), QStringLiteral("A search to time (default: two words)."),
                      QStringLiteral("query"), QStringLiteral("refund escalate")});
    parser.addOption({QStringLiteral("range"), QStringLiteral("15m, 1h, 6h, 24h or 7d (default 7d)."),
                      QStringLiteral("range"), QStringLiteral("7d")});
    parser.addOption({QStringLiteral("now"), QStringLiteral("Pin now (epoch ms); default: the newest request."),
                      QStringLiteral("ms")});
    parser.process(app);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: bench_audit_ui STORE [--rows N] [--search Q] [--range R] [--now MS]\n");
        return 2;
    }
    const QString store = QFileInfo(parser.positionalArguments().front()).absoluteFilePath();
    const int scrollRows = std::max(1000, parser.value(QStringLiteral("rows")).toInt());
    const RangePreset preset = presetFromKey(parser.value(QStringLiteral("range")), RangePreset::Last7d);

    std::int64_t now = 0;
    std::int64_t records = 0;
    try {
        MetricsReader reader(store.toStdString());
        now = parser.isSet(QStringLiteral("now")) ? parser.value(QStringLiteral("now")).toLongLong()
                                                  : reader.latestRecordMs().value_or(0) + 1000;
        records = reader.totalRequests();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_audit_ui: %s\n", e.what());
        return 3;
    }

    MainWindow window;
    window.setShowIngestSummaries(false);
    window.context().pinNow(now);
    window.context().setRange(TimeRange::sliding(preset));
    window.resize(1600, 1000);
    window.show();
    window.openStore(store, OpenMode::ReadOnly);
    if (!spin([&] { return window.context().hasStore(); }, 120'000)) {
        std::fprintf(stderr, "bench_audit_ui: the store did not open\n");
        return 3;
    }
    auto *page = qobject_cast<AuditPage *>(window.page(QStringLiteral("audit")));
    if (!page) {
        std::fprintf(stderr, "bench_audit_ui: no Audit page\n");
        return 3;
    }
    AuditTableModel *model = page->model();
    // Let the overview settle first: its queries are not what is measured.
    spin([&] { return !window.currentPage()->isLoading(); }, 600'000);

    Probe probe;
    probe.start();
    std::vector<std::pair<std::string, double>> firstRows;
    const auto timeFirstRows = [&](const char *what, const std::function<void()> &change) {
        QElapsedTimer t;
        t.start();
        change();
        const bool ok = spin([&] { return !page->isLoading() && !model->isFetching() && (model->rowCount() > 0 || model->atEnd()); },
                             300'000);
        firstRows.emplace_back(what, ok ? static_cast<double>(t.elapsed()) : -1.0);
        spin([&] { return false; }, 200); // let the count and the detail settle between steps
    };
    timeFirstRows("open the page", [&] { window.showPage(QStringLiteral("audit")); });
    timeFirstRows("range 24h", [&] { window.context().setRange(TimeRange::sliding(RangePreset::Last24h)); });
    timeFirstRows("range back", [&] { window.context().setRange(TimeRange::sliding(preset)); });
    timeFirstRows("tenant", [&] {
        LabelFilter f;
        f.tenant = model->rowAt(0) ? model->rowAt(0)->record.tenant : std::string("acme");
        window.context().setFilter(f);
    });
    timeFirstRows("no tenant", [&] { window.context().setFilter({}); });
    timeFirstRows("failures", [&] { page->auditFilters()->setOutcomeChoice(1); });
    timeFirstRows("latency > 5 s", [&] { page->auditFilters()->setLatencyAboveMs(5000); });
    timeFirstRows("filters cleared", [&] { page->auditFilters()->clear(); });
    timeFirstRows("sort by latency", [&] { page->table()->sortByColumn(AuditTableModel::Latency, Qt::DescendingOrder); });
    timeFirstRows("sort by cost", [&] { page->table()->sortByColumn(AuditTableModel::Cost, Qt::DescendingOrder); });
    timeFirstRows("sort by time", [&] { page->table()->sortByColumn(AuditTableModel::Time, Qt::DescendingOrder); });
    timeFirstRows("search", [&] { page->setSearchText(parser.value(QStringLiteral("search"))); });
    timeFirstRows("search cleared", [&] { page->setSearchText(QString()); });
    const std::vector<double> filterStalls = probe.stalls;
    const std::vector<double> filterBusy = probe.busy;

    // Scroll: a page down every 16 ms until row `scrollRows` is in view.
    probe.start();
    QTableView *table = page->table();
    std::vector<double> chunkMs;
    QElapsedTimer chunkClock;
    QObject::connect(model, &AuditTableModel::fetchStarted, model, [&] { chunkClock.start(); });
    QObject::connect(model, &AuditTableModel::chunkLoaded, model,
                     [&] { chunkMs.push_back(static_cast<double>(chunkClock.nsecsElapsed()) / 1e6); });
    QElapsedTimer scrollClock;
    scrollClock.start();
    QElapsedTimer tick;
    const bool scrolled = spin(
        [&] {
            const int lastVisible = table->rowAt(table->viewport()->height() - 1);
            if (lastVisible >= scrollRows - 1 || (model->atEnd() && lastVisible >= model->rowCount() - 1))
                return true;
            if (!tick.isValid() || tick.elapsed() >= 16) {
                tick.start();
                QScrollBar *bar = table->verticalScrollBar();
                bar->setValue(bar->value() + bar->pageStep());
            }
            return false;
        },
        600'000);
    const double scrollMs = static_cast<double>(scrollClock.elapsed());
    probe.stop();

    std::printf("store: %s (%lld records), range %s, now pinned at %lld\n", qPrintable(store),
                static_cast<long long>(records), qPrintable(presetShortName(preset)), static_cast<long long>(now));
    std::printf("time to first rows (ms):\n");
    for (const auto &[what, ms] : firstRows)
        std::printf("  %-18s %8.0f\n", what.c_str(), ms);
    std::printf("UI stall during filter changes: max %.1f ms, p99 %.1f ms; UI-thread CPU between ticks: max %.1f ms\n",
                maxOf(filterStalls), percentile(filterStalls, 99), maxOf(filterBusy));
    std::printf("scroll to row %d: %s in %.1f s, %d rows loaded, %zu chunks; chunk fetch first %.0f ms, last %.0f ms, p50 %.0f ms, max %.0f ms\n",
                scrollRows, scrolled ? "reached" : "NOT reached", scrollMs / 1000, model->rowCount(), chunkMs.size(),
                chunkMs.empty() ? 0.0 : chunkMs.front(), chunkMs.empty() ? 0.0 : chunkMs.back(), percentile(chunkMs, 50),
                maxOf(chunkMs));
    std::printf("UI stall while scrolling: max %.1f ms, p99 %.1f ms, p50 %.1f ms, over 100 ms: %lld; UI-thread CPU between ticks: max %.1f ms, p99 %.1f ms\n",
                maxOf(probe.stalls), percentile(probe.stalls, 99), percentile(probe.stalls, 50),
                static_cast<long long>(std::count_if(probe.stalls.begin(), probe.stalls.end(), [](double s) { return s > 100; })),
                maxOf(probe.busy), percentile(probe.busy, 99));
    return scrolled ? 0 : 1;
}
