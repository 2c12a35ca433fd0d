// UI responsiveness benchmark: is the UI thread ever blocked while the user
// switches ranges and filters on a big store?
//
//   bench_ui_latency STORE [--cycles N] [--pause-ms N] [--now TIME]
//
// Opens STORE read-only in the real window (offscreen platform unless
// QT_QPA_PLATFORM says otherwise), then, on the dashboard and on the
// overview, switches through the ranges (15m .. 7d) and filters (a tenant, a
// model, a provider, a prompt, none), each time waiting for the answer, and
// finally switches rapidly without waiting. Meanwhile a 5 ms timer measures
// how late it fires: its lateness is how long the UI thread was busy. Prints
// the max and p99 stall and how long the answers took. "now" defaults to the
// newest request in the store, so the windows hold data.
//
// On a loaded machine a timer is also late because other processes (and the
// console's own query threads) had the CPU. So next to the wall-clock stall
// the probe reports the UI thread's own CPU time between two ticks: that part
// is work done on the UI thread, whatever the load.
#include "pages/dashboard_page.h"
#include "pages/overview_page.h"
#include "query/filter_options.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "metrics/time_window.h"
#include "store/metrics_reader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
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

// Runs the event loop until done() or the timeout.
bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void pause(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

} // namespace

static void quietOffscreenChatter(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")) || message.contains(QLatin1String("XDG_RUNTIME_DIR")))
        return;
    std::fprintf(stderr, "%s%s\n", type == QtWarningMsg ? "warning: " : "", qPrintable(message));
}

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
    parser.addOption({QStringLiteral("cycles"), QStringLiteral("Times through the whole scenario (default 2)."),
                      QStringLiteral("n"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("pause-ms"), QStringLiteral("Pause after each answer (default 300)."),
                      QStringLiteral("ms"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("now"), QStringLiteral("Pin now (epoch ms); default: the newest request."),
                      QStringLiteral("ms")});
    parser.process(app);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: bench_ui_latency STORE [--cycles N] [--pause-ms N] [--now MS]\n");
        return 2;
    }
    const QString store = QFileInfo(parser.positionalArguments().front()).absoluteFilePath();
    const int cycles = std::max(1, parser.value(QStringLiteral("cycles")).toInt());
    const int pauseMs = std::max(0, parser.value(QStringLiteral("pause-ms")).toInt());

    std::int64_t now = 0;
    std::int64_t records = 0;
    try {
        MetricsReader reader(store.toStdString());
        now = parser.isSet(QStringLiteral("now")) ? parser.value(QStringLiteral("now")).toLongLong()
                                                  : reader.latestRecordMs().value_or(currentTimeMs()) + 1000;
        records = reader.totalRequests();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_ui_latency: %s\n", e.what());
        return 3;
    }

    MainWindow window;
    window.setShowIngestSummaries(false);
    window.context().pinNow(now);
    window.resize(1600, 1000);
    window.show();
    window.showPage(QStringLiteral("dashboard"));
    window.openStore(store, OpenMode::ReadOnly);
    if (!spin([&] { return window.context().hasStore(); }, 120'000)) {
        std::fprintf(stderr, "bench_ui_latency: the store did not open\n");
        return 3;
    }
    DashboardPage *dashboard = window.dashboard();
    spin([&] { return dashboard->snapshot() && !dashboard->isLoading() && !dashboard->filterOptions().tenants.empty(); }, 600'000);
    const FilterOptions options = dashboard->filterOptions();

    // The probe: a 5 ms timer; how late it fires is how long the UI thread was busy.
    constexpr int kProbeMs = 5;
    std::vector<double> stalls;
    std::vector<double> busy; // UI-thread CPU ms between two ticks
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    double lastCpu = threadCpuMs();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kProbeMs);
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 t = clock.nsecsElapsed();
        const double cpu = threadCpuMs();
        stalls.push_back(std::max(0.0, static_cast<double>(t - last) / 1e6 - kProbeMs));
        busy.push_back(cpu - lastCpu);
        last = t;
        lastCpu = cpu;
    });
    probe.start();

    std::vector<double> answerMs;
    int timeouts = 0;
    const auto step = [&](Page *page, const std::function<void()> &change) {
        change();
        QElapsedTimer t;
        t.start();
        if (!spin([&] { return !page->isLoading() && !page->isStale(); }, 300'000))
            ++timeouts;
        answerMs.push_back(static_cast<double>(t.elapsed()));
        pause(pauseMs);
    };
    const auto filterOf = [](auto set) {
        LabelFilter f;
        set(f);
        return f;
    };
    ConsoleContext &ctx = window.context();
    for (int cycle = 0; cycle < cycles; ++cycle) {
        for (const QString &pageId : {QStringLiteral("dashboard"), QStringLiteral("overview")}) {
            window.showPage(pageId);
            Page *page = window.page(pageId);
            spin([&] { return !page->isLoading(); }, 300'000);
            for (RangePreset p : kSlidingPresets)
                step(page, [&] { ctx.setRange(TimeRange::sliding(p)); });
            ctx.setRange(TimeRange::sliding(RangePreset::Last24h));
            if (pageId == QStringLiteral("dashboard")) {
                if (!options.tenants.empty())
                    step(page, [&] { ctx.setFilter(filterOf([&](LabelFilter &f) { f.tenant = options.tenants.front(); })); });
                if (!options.models.empty())
                    step(page, [&] { ctx.setFilter(filterOf([&](LabelFilter &f) { f.model = options.models.back(); })); });
                if (!options.providers.empty())
                    step(page, [&] { ctx.setFilter(filterOf([&](LabelFilter &f) { f.provider = options.providers.front(); })); });
                if (!options.prompts.empty())
                    step(page, [&] { ctx.setFilter(filterOf([&](LabelFilter &f) { f.promptName = options.prompts.front(); })); });
                step(page, [&] { ctx.setFilter({}); });
            }
        }
        // Impatient user: a new range every 50 ms, answers superseded in flight.
        window.showPage(QStringLiteral("dashboard"));
        for (int i = 0; i < 20; ++i) {
            ctx.setRange(TimeRange::sliding(kSlidingPresets[static_cast<std::size_t>(i) % kSlidingPresets.size()]));
            pause(50);
        }
        spin([&] { return !dashboard->isLoading(); }, 300'000);
    }
    probe.stop();

    const double maxStall = stalls.empty() ? 0 : *std::max_element(stalls.begin(), stalls.end());
    const auto over100 = std::count_if(stalls.begin(), stalls.end(), [](double s) { return s > 100; });
    std::printf("store: %s (%lld records), now pinned at %lld\n", qPrintable(store), static_cast<long long>(records),
                static_cast<long long>(now));
    std::printf("probe samples: %zu (every %d ms)\n", stalls.size(), kProbeMs);
    std::printf("UI stall: max %.1f ms, p99 %.1f ms, p50 %.1f ms, stalls over 100 ms: %lld\n", maxStall,
                percentile(stalls, 99), percentile(stalls, 50), static_cast<long long>(over100));
    std::printf("UI thread CPU between ticks: max %.1f ms, p99 %.1f ms, over 100 ms: %lld\n",
                busy.empty() ? 0.0 : *std::max_element(busy.begin(), busy.end()), percentile(busy, 99),
                static_cast<long long>(std::count_if(busy.begin(), busy.end(), [](double b) { return b > 100; })));
    std::printf("answers: %zu, time to answer p50 %.0f ms, max %.0f ms, timeouts %d\n", answerMs.size(),
                percentile(answerMs, 50), answerMs.empty() ? 0.0 : *std::max_element(answerMs.begin(), answerMs.end()),
                timeouts);
    return maxStall > 100 ? 1 : 0;
}
