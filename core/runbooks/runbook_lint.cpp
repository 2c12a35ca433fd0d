#include "runbooks/runbook_lint.h"

#include "alerts/alert_type.h"
#include "runbooks/runbook_library.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <functional>

namespace vigil {

namespace {

struct Section
{
    const char *what;                                 // for the message
    std::function<bool(const QString &heading)> match; // lower-cased heading text
};

const std::vector<Section> &requiredSections()
{
    static const std::vector<Section> sections = {
        {"\"What you see\" (how the alert looks in the console)",
         [](const QString &h) { return h.contains(QLatin1String("what you see")) || h.contains(QLatin1String("console")); }},
        {"\"Likely causes\"", [](const QString &h) { return h.contains(QLatin1String("cause")); }},
        {"\"First three steps\"",
         [](const QString &h) { return h.contains(QLatin1String("first")) && h.contains(QLatin1String("step")); }},
        {"\"Confirm recovery\"", [](const QString &h) { return h.contains(QLatin1String("recover")); }},
        {"\"Escalation\" (when and whom)", [](const QString &h) { return h.contains(QLatin1String("escalat")); }},
    };
    return sections;
}

} // namespace

QString RunbookProblem::text() const
{
    return page + (line > 0 ? QLatin1Char(':') + QString::number(line) : QString()) + QStringLiteral(": ") + message;
}

std::vector<RunbookProblem> lintRunbookPage(const QString &fileName, const QString &text)
{
    static const QRegularExpression heading(QStringLiteral("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$"));
    static const QRegularExpression numbered(QStringLiteral("^\\s{0,3}(\\d{1,3})[.)]\\s+\\S"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    const auto &sections = requiredSections();
    std::vector<int> foundAt(sections.size(), 0);
    int stepsHeadingLine = 0;
    int stepsFound = 0;
    bool inSteps = false;
    bool inFence = false;
    bool hasTitle = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (line.trimmed().startsWith(QLatin1String("```"))) {
            inFence = !inFence;
            continue;
        }
        if (inFence)
            continue;
        if (const auto m = heading.match(line); m.hasMatch()) {
            const QString title = m.captured(2).toLower();
            if (m.captured(1).size() == 1)
                hasTitle = true;
            inSteps = false;
            for (std::size_t s = 0; s < sections.size(); ++s) {
                if (!foundAt[s] && sections[s].match(title)) {
                    foundAt[s] = static_cast<int>(i + 1);
                    if (s == 2) {
                        stepsHeadingLine = foundAt[s];
                        inSteps = true;
                    }
                    break;
                }
            }
            continue;
        }
        if (inSteps && numbered.match(line).hasMatch())
            ++stepsFound;
    }
    std::vector<RunbookProblem> problems;
    if (text.trimmed().isEmpty()) {
        problems.push_back({fileName, 0, QStringLiteral("the page is empty")});
        return problems;
    }
    if (!hasTitle)
        problems.push_back({fileName, 1, QStringLiteral("no title: start the page with \"# <what the alert means>\"")});
    for (std::size_t s = 0; s < sections.size(); ++s) {
        if (!foundAt[s])
            problems.push_back({fileName, 0, QStringLiteral("no %1 section").arg(QLatin1String(sections[s].what))});
    }
    if (stepsHeadingLine && stepsFound < 3)
        problems.push_back({fileName, stepsHeadingLine,
                            QStringLiteral("\"First three steps\" has %1 numbered step%2: it needs three, numbered 1. 2. 3.")
                                .arg(stepsFound)
                                .arg(stepsFound == 1 ? QString() : QStringLiteral("s"))});
    return problems;
}

std::vector<RunbookProblem> lintRunbookFolder(const QString &folder)
{
    std::vector<RunbookProblem> problems;
    const QDir dir(folder);
    if (!dir.exists()) {
        problems.push_back({folder, 0, QStringLiteral("no such folder")});
        return problems;
    }
    for (AlertType type : allAlertTypes()) {
        const QString name = runbookFileName(type);
        if (!dir.exists(name))
            problems.push_back({name, 0, QStringLiteral("missing: alert type %1 has no runbook page")
                                             .arg(QString::fromUtf8(alertTypeName(type)))});
    }
    const QStringList pages = dir.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    for (const QString &page : pages) {
        if (page.compare(QLatin1String("README.md"), Qt::CaseInsensitive) == 0)
            continue;
        if (!alertTypeFromName(page.chopped(3).toStdString())) {
            problems.push_back({page, 0, QStringLiteral("no alert type is called \"%1\" (a typo in the file name?)")
                                             .arg(page.chopped(3))});
            continue;
        }
        QFile file(dir.filePath(page));
        if (!file.open(QIODevice::ReadOnly)) {
            problems.push_back({page, 0, QStringLiteral("cannot be read: %1").arg(file.errorString())});
            continue;
        }
        const auto pageProblems = lintRunbookPage(page, QString::fromUtf8(file.readAll()));
        problems.insert(problems.end(), pageProblems.begin(), pageProblems.end());
    }
    return problems;
}

} // namespace vigil
