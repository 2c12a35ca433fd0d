// vigil: the console window. Thin: reads the command line and wires the
// main window to a store; everything else lives in vigil_ui.
#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "shell/console_context.h"
#include "pages/page.h"
#include "prompts/prompts_page.h"
#include "shell/main_window.h"

#include "metrics/time_window.h"
#include "store/store_location.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Without a display Qt would abort with a platform-plugin message that
    // does not say what to do; say it, and exit as the CLI does for a
    // runtime failure.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        std::fputs("vigil: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                   "  On a desktop, run it from the session; on a server, `xvfb-run -a vigil --demo` runs it\n"
                   "  headless, and `vigilctl demo` prints the same 2am answer in the terminal.\n",
                   stderr);
        return 3;
    }
    QApplication app(argc, argv);
    // The same names as vigilctl, so both find the same data folder.
    QCoreApplication::setApplicationName(QStringLiteral("vigil"));
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(QStringLiteral("vigil.dev"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VIGIL_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Vigil"));
    QGuiApplication::setDesktopFileName(QStringLiteral(VIGIL_APP_ID));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Vigil: latency, errors and spend of an LLM system, by tenant, model and prompt version.\n"
        "Opens the store (--db, else VIGIL_DB, else the last store, else vigil.db in the data folder)\n"
        "and ingests the log files named, showing their progress."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("The store to open."), QStringLiteral("path")});
    parser.addOption({QStringLiteral("demo"),
                      QStringLiteral("Build the demo store (a day of traffic ending now, with an incident in the "
                                     "last hour; demo.db in the data folder unless --db) and open it.")});
    parser.addOption({QStringLiteral("config"),
                      QStringLiteral("vigil.toml with the alert rules and cost caps (default: ./vigil.toml when "
                                     "present, else the shipped defaults)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("alert"),
                      QStringLiteral("Open the Alerts page on this alert (its dedup key) with its runbook."),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("now"), QStringLiteral("Pin \"now\" (RFC 3339 or epoch ms) for replays and screenshots."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("system, light or dark (default: as last time)."),
                      QStringLiteral("theme")});
    parser.addOption({QStringLiteral("page"), QStringLiteral("Start on this page: overview, dashboard, ..."),
                      QStringLiteral("page")});
    parser.addOption({QStringLiteral("since"), QStringLiteral("Time range: 15m, 1h, 6h, 24h or 7d."), QStringLiteral("range")});
    parser.addOption({QStringLiteral("tenant"), QStringLiteral("Filter the dashboard to this tenant."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("model"), QStringLiteral("Filter the dashboard to this model."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("provider"), QStringLiteral("Filter the dashboard to this provider."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("prompt"), QStringLiteral("Filter the dashboard to this prompt (a SHA prefix matches)."),
                      QStringLiteral("name[@version]")});
    parser.addOption({QStringLiteral("repo"),
                      QStringLiteral("The prompts git repository, working or bare (default: the one chosen for the store, "
                                     "else [prompts] repo of ./vigil.toml, else the store's own)."),
                      QStringLiteral("path")});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("NDJSON request logs to ingest (plain or .gz)."),
                                 QStringLiteral("[FILE...]"));
    parser.process(app);

    std::optional<std::int64_t> now;
    if (parser.isSet(QStringLiteral("now"))) {
        now = vigil::parseTimePointMs(parser.value(QStringLiteral("now")).toStdString(), vigil::currentTimeMs());
        if (!now) {
            std::fprintf(stderr, "vigil: --now: \"%s\" is not a time (RFC 3339 or epoch milliseconds)\n",
                         qPrintable(parser.value(QStringLiteral("now"))));
            return 2;
        }
    }
    QStringList files;
    for (const QString &f : parser.positionalArguments())
        files << QFileInfo(f).absoluteFilePath();

    vigil::ui::MainWindow window;
    window.restoreSettings();
    if (parser.isSet(QStringLiteral("config"))) {
        const QString config = parser.value(QStringLiteral("config"));
        if (!QFileInfo::exists(config)) {
            std::fprintf(stderr, "vigil: --config: %s does not exist\n", qPrintable(config));
            return 2;
        }
        vigil::ui::AlertCenter::of(window)->config().setConfigFile(config);
    }
    if (parser.isSet(QStringLiteral("theme")))
        window.setTheme(vigil::ui::themeModeFromKey(parser.value(QStringLiteral("theme"))));
    if (now)
        window.context().pinNow(now);
    if (auto *prompts = qobject_cast<vigil::ui::PromptsPage *>(window.page(QStringLiteral("prompts")))) {
        if (parser.optionNames().contains(QStringLiteral("config")))
            prompts->setConfigFile(QFileInfo(parser.value(QStringLiteral("config"))).absoluteFilePath());
        if (parser.isSet(QStringLiteral("repo")))
            prompts->setRepositoryOverride(QFileInfo(parser.value(QStringLiteral("repo"))).absoluteFilePath());
    }
    if (parser.isSet(QStringLiteral("since"))) {
        const QString since = parser.value(QStringLiteral("since"));
        const auto preset = vigil::ui::presetFromKey(since, vigil::ui::RangePreset::Custom);
        if (preset == vigil::ui::RangePreset::Custom) {
            std::fprintf(stderr, "vigil: --since: \"%s\" is not one of 15m, 1h, 6h, 24h, 7d\n", qPrintable(since));
            return 2;
        }
        window.context().setRange(vigil::ui::TimeRange::sliding(preset));
    }
    vigil::LabelFilter filter;
    const auto read = [&parser](const char *name, std::optional<std::string> &field) {
        if (parser.isSet(QLatin1String(name)))
            field = parser.value(QLatin1String(name)).toStdString();
    };
    read("tenant", filter.tenant);
    read("model", filter.model);
    read("provider", filter.provider);
    if (parser.isSet(QStringLiteral("prompt")))
        filter.setPrompt(parser.value(QStringLiteral("prompt")).toStdString());
    if (!filter.empty()) {
        window.context().setFilter(filter);
        window.showPage(QStringLiteral("dashboard"));
    }
    if (parser.isSet(QStringLiteral("page"))) {
        const QString page = parser.value(QStringLiteral("page"));
        if (!window.page(page)) {
            std::fprintf(stderr, "vigil: --page: there is no page \"%s\"\n", qPrintable(page));
            return 2;
        }
        window.showPage(page);
    }
    if (parser.isSet(QStringLiteral("alert")))
        vigil::ui::AlertCenter::of(window)->revealAlert(parser.value(QStringLiteral("alert")));
    window.show();

    const bool dbGiven = parser.isSet(QStringLiteral("db"));
    if (parser.isSet(QStringLiteral("demo"))) {
        window.openDemoStore(dbGiven ? vigil::resolveStorePath(parser.value(QStringLiteral("db"))) : QString());
    } else {
        QString path = vigil::resolveStorePath(parser.value(QStringLiteral("db")));
        const QString last = vigil::ui::MainWindow::lastStoreFromSettings();
        if (!dbGiven && qEnvironmentVariableIsEmpty("VIGIL_DB") && !last.isEmpty() && QFileInfo::exists(last))
            path = last;
        window.openStore(path, vigil::ui::OpenMode::Existing);
    }
    window.ingestFiles(files);
    return QApplication::exec();
}
