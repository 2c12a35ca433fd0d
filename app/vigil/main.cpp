// vigil: the console window. Thin: reads the command line and wires the
// main window to a store; everything else lives in vigil_ui.
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "metrics/time_window.h"
#include "store/store_location.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

int main(int argc, char *argv[])
{
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
    parser.addOption({QStringLiteral("now"), QStringLiteral("Pin \"now\" (RFC 3339 or epoch ms) for replays and screenshots."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("system, light or dark (default: as last time)."),
                      QStringLiteral("theme")});
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
    if (parser.isSet(QStringLiteral("theme")))
        window.setTheme(vigil::ui::themeModeFromKey(parser.value(QStringLiteral("theme"))));
    if (now)
        window.context().pinNow(now);
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
