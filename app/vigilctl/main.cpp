// vigilctl: Vigil's command line and headless twin. Thin: picks the command.
#include "cli.h"
#include "commands.h"

#include <QCoreApplication>

#include <functional>
#include <map>

namespace {

const char *const kUsage =
    "Usage: vigilctl <command> [options]   (vigilctl <command> --help for its options)\n"
    "\n"
    "Commands:\n"
    "  ingest [--follow] FILE...   ingest NDJSON request logs (plain or .gz)\n"
    "  query latency|spend|errors  p50/p95/p99, spend and errors over a window\n"
    "  quarantine list|show ID     lines that were refused, and why\n"
    "  audit search|show|export|verify|purge|operator-log   the audit trail of every call\n"
    "  serve [--listen HOST:PORT]  receive NDJSON and OTLP over HTTP\n"
    "  token add NAME|hash         bearer tokens for serve\n"
    "  prompt list|log|show|diff|activate|rollback|active   prompt versions from git\n"
    "  alerts check-config|list|ack|silence|caps|outbox|evaluate|run   alerts, pages and cost caps\n"
    "  runbook show TYPE|lint [DIR]   the runbook page of an alert type, and its lint\n"
    "  demo                        build the demo store and print the 2am answer\n"
    "  generate --out FILE         write realistic request logs (demo, tests, benchmarks)\n"
    "  version                     print the version\n"
    "\n"
    "Common options: --db PATH (or VIGIL_DB), --config FILE (or ./vigil.toml), --json\n"
    "Exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input, 3 runtime failure\n";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(QStringLiteral("vigil.dev"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));

    using namespace vigil::cli;
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QStringLiteral("--help") || args[1] == QStringLiteral("-h") ||
        args[1] == QStringLiteral("help")) {
        (args.size() < 2 ? err() : out()) << kUsage;
        return args.size() < 2 ? BadUsage : Ok;
    }
    const std::map<QString, std::function<int(const QStringList &)>> commands = {
        {QStringLiteral("ingest"), runIngest},
        {QStringLiteral("query"), runQuery},
        {QStringLiteral("quarantine"), runQuarantine},
        {QStringLiteral("demo"), runDemo},
        {QStringLiteral("generate"), runGenerate},
        {QStringLiteral("serve"), runServe},
        {QStringLiteral("audit"), runAudit},
        {QStringLiteral("token"), runToken},
        {QStringLiteral("prompt"), runPrompt},
        {QStringLiteral("alerts"), runAlerts},
        {QStringLiteral("runbook"), runRunbook},
    };
    const QString command = args[1];
    if (command == QStringLiteral("version") || command == QStringLiteral("--version")) {
        out() << "vigilctl " << VIGIL_VERSION << '\n';
        return Ok;
    }
    const auto it = commands.find(command);
    if (it == commands.end()) {
        err() << "vigilctl: unknown command \"" << command << "\"\n\n" << kUsage;
        return BadUsage;
    }
    QStringList commandArgs = args.mid(2);
    commandArgs.prepend(QStringLiteral("vigilctl ") + command);
    return it->second(commandArgs);
}
