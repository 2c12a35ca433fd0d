// Puts the real window on the Audit page in a state worth a screenshot (a
// search over the failed calls, one call open in the detail pane) and saves
// it; run under Xvfb for docs/screenshots/audit.png (see docs/PERFORMANCE.md):
//
//   audit_screenshot STORE OUT.png [--search QUERY] [--hold SECONDS]
#include "audit/audit_detail_view.h"
#include "audit/audit_filter_bar.h"
#include "audit/audit_page.h"
#include "audit/audit_table_model.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/theme.h"

#include "store/metrics_reader.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTableView>

#include <cstdio>
#include <functional>

using namespace vigil;
using namespace vigil::ui;

namespace {
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
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vigil-screenshot"));
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("store"), QStringLiteral("The store."));
    parser.addPositionalArgument(QStringLiteral("out"), QStringLiteral("The PNG to write."));
    parser.addOption({QStringLiteral("search"), QStringLiteral("The search (default: refund escalate)."),
                      QStringLiteral("query"), QStringLiteral("refund escalate")});
    parser.addOption({QStringLiteral("hold"), QStringLiteral("Keep the window up this many seconds."),
                      QStringLiteral("s"), QStringLiteral("0")});
    parser.process(app);
    if (parser.positionalArguments().size() != 2) {
        std::fprintf(stderr, "usage: audit_screenshot STORE OUT.png [--search Q] [--hold S]\n");
        return 2;
    }
    const QString store = parser.positionalArguments().at(0);
    std::int64_t now = 0;
    try {
        MetricsReader reader(store.toStdString());
        now = reader.latestRecordMs().value_or(0) + 1000;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "audit_screenshot: %s\n", e.what());
        return 3;
    }
    MainWindow window;
    window.setShowIngestSummaries(false);
    window.setTheme(ThemeMode::Light);
    window.context().pinNow(now);
    window.context().setRange(TimeRange::sliding(RangePreset::Last1h));
    window.resize(1600, 1000);
    window.show();
    window.openStore(store);
    if (!spin([&] { return window.context().hasStore(); }, 120'000))
        return 3;
    auto *page = qobject_cast<AuditPage *>(window.page(QStringLiteral("audit")));
    window.showPage(QStringLiteral("audit"));
    const auto settled = [&] { return !page->isLoading() && !page->model()->isFetching() && !page->isVerifying(); };
    spin(settled, 300'000);
    page->auditFilters()->setOutcomeChoice(1); // failures
    page->setSearchText(parser.value(QStringLiteral("search")));
    spin(settled, 300'000);
    page->selectRow(0);
    spin([&] { return !page->isDetailLoading() && page->detail()->call(); }, 60'000);
    spin([] { return false; }, 500); // let everything paint
    if (!window.grab().save(parser.positionalArguments().at(1))) {
        std::fprintf(stderr, "audit_screenshot: cannot write %s\n", qPrintable(parser.positionalArguments().at(1)));
        return 3;
    }
    spin([] { return false; }, parser.value(QStringLiteral("hold")).toInt() * 1000);
    return 0;
}
