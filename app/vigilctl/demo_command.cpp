// vigilctl demo: a day of realistic traffic with an incident, ingested, and the 2am answer.
#include "cli.h"
#include "commands.h"
#include "ingest_report.h"
#include "progress_bar.h"
#include "text_table.h"

#include "demo/demo_store.h"
#include "record/timestamp.h"
#include "store/metrics_reader.h"
#include "store/store_location.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>


namespace vigil::cli {

namespace {

std::string defaultDemoPath()
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (folder.isEmpty())
        folder = QDir::homePath() + QStringLiteral("/.local/share/vigil");
    return QString(folder + QStringLiteral("/demo.db")).toStdString();
}

void printAnswer(MetricsReader &reader, std::int64_t now)
{
    MetricsRequest lastHour;
    lastHour.window = {now - kHourMs, now};
    lastHour.wantErrorTypes = true;
    const MetricsGroup overall = reader.query(lastHour).groups.front();
    MetricsRequest before = lastHour;
    before.window = lastHour.window.previous();
    const MetricsGroup previous = reader.query(before).groups.front();
    const auto errorRate = [](const RollupCell &c) {
        const auto n = c.requests();
        return n ? 100.0 * static_cast<double>(n - c.byOutcome[0]) / static_cast<double>(n) : 0.0;
    };

    out() << "\nLast hour (" << QString::fromStdString(formatRfc3339Ms(lastHour.window.fromMs)).mid(11, 5)
          << " to " << QString::fromStdString(formatRfc3339Ms(now)).mid(11, 5) << " UTC): "
          << formatCount(static_cast<long long>(overall.latency.count)) << " requests, p50 "
          << formatMs(overall.latency.p50) << ", p95 " << formatMs(overall.latency.p95)
          << " (hour before: " << formatMs(previous.latency.p95) << "), error rate "
          << QString::number(errorRate(overall.totals), 'f', 1) << "% (hour before: "
          << QString::number(errorRate(previous.totals), 'f', 1) << "%)\n\n";

    MetricsRequest byModel = lastHour;
    byModel.groupBy = GroupBy::Model;
    out() << "p95 latency by model, last hour:\n";
    TextTable models({QStringLiteral("MODEL"), QStringLiteral("REQUESTS"), QStringLiteral("P95"),
                      QStringLiteral("ERROR RATE")});
    for (const auto &g : reader.query(byModel).groups)
        models.addRow({QString::fromStdString(g.key), formatCount(static_cast<long long>(g.latency.count)),
                       formatMs(g.latency.p95), QString::number(errorRate(g.totals), 'f', 1) + QLatin1Char('%')});
    models.print(out());

    MetricsRequest byProvider = lastHour;
    byProvider.groupBy = GroupBy::Provider;
    out() << "\nErrors by provider, last hour:\n";
    TextTable providers({QStringLiteral("PROVIDER"), QStringLiteral("REQUESTS"), QStringLiteral("ERROR RATE")});
    for (const auto &g : reader.query(byProvider).groups)
        providers.addRow({QString::fromStdString(g.key), formatCount(static_cast<long long>(g.totals.requests())),
                          QString::number(errorRate(g.totals), 'f', 1) + QLatin1Char('%')});
    providers.print(out());

    MetricsRequest today;
    today.window = {floorTo(now, kDayMs), now};
    today.groupBy = GroupBy::Tenant;
    today.latencyMode = LatencyMode::Sketch;
    out() << "\nSpend per tenant today (UTC):\n";
    TextTable tenants({QStringLiteral("TENANT"), QStringLiteral("REQUESTS"), QStringLiteral("SPEND")});
    double total = 0;
    auto groups = reader.query(today).groups;
    std::sort(groups.begin(), groups.end(),
              [](const MetricsGroup &a, const MetricsGroup &b) { return a.totals.costUsd > b.totals.costUsd; });
    for (const auto &g : groups) {
        tenants.addRow({QString::fromStdString(g.key), formatCount(static_cast<long long>(g.totals.requests())),
                        formatUsd(g.totals.costUsd)});
        total += g.totals.costUsd;
    }
    tenants.addRow({QStringLiteral("total"), QString(), formatUsd(total)});
    tenants.print(out());
    out().flush();
}

} // namespace

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Build the demo store: a day of realistic traffic ending now (several tenants,\n"
        "models and prompt versions) with an incident in the last hour, then print what\n"
        "an on-call engineer asks first: p95 latency and errors of the last hour, by\n"
        "model and provider, and the spend per tenant today. The demo store is rebuilt\n"
        "on every run; a store that is not a demo store is never overwritten."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Demo store (default: demo.db in the data folder)."), QStringLiteral("path")});
    parser.addOption({QStringLiteral("records"), QStringLiteral("Records in the day (default 150000)."), QStringLiteral("n"), QStringLiteral("150000")});
    parser.addOption({QStringLiteral("now"), QStringLiteral("End of the demo day (default: now)."), QStringLiteral("time")});
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    bool ok = false;
    const auto records = parser.value(QStringLiteral("records")).toULongLong(&ok);
    if (!ok || records < 1000) {
        err() << "vigilctl demo: --records must be a number of at least 1000\n";
        return BadUsage;
    }
    std::int64_t now = currentTimeMs();
    if (parser.isSet(QStringLiteral("now"))) {
        const auto t = parseTimePointMs(parser.value(QStringLiteral("now")).toStdString(), now);
        if (!t) {
            err() << "vigilctl demo: --now is not a time\n";
            return BadUsage;
        }
        now = *t;
    }
    const std::string storePath = parser.isSet(QStringLiteral("db"))
                                      ? resolveStorePath(parser.value(QStringLiteral("db"))).toStdString()
                                      : defaultDemoPath();
    installInterruptHandler();
    out() << "Demo store: " << QString::fromStdString(storePath) << "\nGenerating a day of traffic into "
          << QString::fromStdString(demoLogPath(storePath)) << " and ingesting it...\n";
    out().flush();
    IngestSummary summary;
    try {
        ProgressBar bar(stderrIsTerminal());
        summary = buildDemoStore({storePath, now, records}, interrupted(),
                                 [&bar](const IngestProgress &p) { bar.update(p); });
        bar.finish();
    } catch (const StoreError &e) {
        err() << "vigilctl demo: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    if (summary.storeError) {
        err() << "vigilctl: " << QString::fromUtf8(summary.storeError->what()) << '\n';
        return RuntimeFailure;
    }
    printIngestSummary(summary, 1);
    try {
        MetricsReader reader(storePath);
        printAnswer(reader, now);
    } catch (const StoreError &e) {
        err() << "vigilctl: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    const QString db = QString::fromStdString(storePath);
    out() << "\nNext: vigilctl query errors --db " << db << " --since 1h --by provider\n"
          << "      vigilctl query latency --db " << db << " --since 1h --by prompt_version\n"
          << "      vigilctl prompt log answer-question --db " << db << "   (its last version went live 40 minutes ago)\n"
          << "      vigilctl prompt rollback answer-question --db " << db << " --reason \"latency since the deploy\"\n"
          << "      vigilctl alerts evaluate --catch-up --db " << db << "   (the incident fires the latency and error alerts)\n"
          << "      vigilctl audit search --db " << db << " --since 1h --outcome error,timeout\n"
          << "      vigil --demo   (the console window on this store)\n";
    return Ok;
}

} // namespace vigil::cli
