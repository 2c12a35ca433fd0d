// vigilctl runbook show|lint: the page of an alert type, and the check CI runs on runbooks/.
#include "cli.h"
#include "commands.h"

#include "alerts/alert_type.h"
#include "runbooks/runbook_library.h"
#include "runbooks/runbook_lint.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

namespace vigil::cli {

namespace {

const char *const kDescription =
    "Runbooks: one page per alert type, opened from every alert.\n"
    "  show TYPE     print the page of an alert type (from ./runbooks when present, else the\n"
    "                installed pages, else the copy built into vigilctl)\n"
    "  lint [DIR]    check DIR (default ./runbooks when present, else the installed pages):\n"
    "                exit 1 naming every alert type without a page and every page without\n"
    "                its sections (what you see, likely causes, three numbered first steps,\n"
    "                confirm recovery, escalation)\n"
    "Alert types: ";

QString defaultFolder()
{
    if (QDir(QStringLiteral("runbooks")).exists())
        return QStringLiteral("runbooks");
    const QString installed = installedRunbookFolder();
    return installed.isEmpty() ? bundledRunbookFolder() : installed;
}

int show(const QString &typeName)
{
    const auto type = alertTypeFromName(typeName.toStdString());
    if (!type) {
        err() << "vigilctl runbook show: no alert type is called \"" << typeName << "\"\n";
        return BadUsage;
    }
    // The same order as lint: what a team edited wins over what shipped.
    for (const QString &folder : {QStringLiteral("runbooks"), installedRunbookFolder()}) {
        if (folder.isEmpty())
            continue;
        QFile file(QDir(folder).filePath(runbookFileName(*type)));
        if (file.open(QIODevice::ReadOnly)) {
            out() << QString::fromUtf8(file.readAll());
            out().flush();
            return Ok;
        }
    }
    const auto page = bundledRunbook(*type);
    if (!page) {
        err() << "vigilctl runbook show: this build has no page for " << typeName << '\n';
        return RuntimeFailure;
    }
    out() << *page;
    out().flush();
    return Ok;
}

int lint(const QString &folder, bool json)
{
    const auto problems = lintRunbookFolder(folder);
    if (json) {
        QJsonArray list;
        for (const RunbookProblem &p : problems)
            list.append(QJsonObject{{QStringLiteral("page"), p.page},
                                    {QStringLiteral("line"), p.line},
                                    {QStringLiteral("message"), p.message}});
        printJson({{QStringLiteral("folder"), folder}, {QStringLiteral("ok"), problems.empty()}, {QStringLiteral("problems"), list}});
        return problems.empty() ? Ok : CheckFailed;
    }
    for (const RunbookProblem &p : problems)
        out() << folder << '/' << p.text() << '\n';
    if (problems.empty())
        out() << folder << ": every alert type has a page, and every page has its sections and three first steps\n";
    else
        out() << problems.size() << (problems.size() == 1 ? " problem" : " problems") << " in " << folder << '\n';
    out().flush();
    return problems.empty() ? Ok : CheckFailed;
}

} // namespace

int runRunbook(const QStringList &args)
{
    QString types;
    for (AlertType t : allAlertTypes())
        types += (types.isEmpty() ? QString() : QStringLiteral(", ")) + QString::fromUtf8(alertTypeName(t));
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(kDescription) + types);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document on stdout (lint).")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("show TYPE, or lint [DIR]"), QStringLiteral("show TYPE|lint [DIR]"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() == 2 && pos[0] == QStringLiteral("show"))
        return show(pos[1]);
    if ((pos.size() == 1 || pos.size() == 2) && pos[0] == QStringLiteral("lint"))
        return lint(pos.size() == 2 ? pos[1] : defaultFolder(), wantsJson(parser));
    err() << "vigilctl runbook: use \"show TYPE\" or \"lint [DIR]\"\n\n" << parser.helpText();
    return BadUsage;
}

} // namespace vigil::cli
