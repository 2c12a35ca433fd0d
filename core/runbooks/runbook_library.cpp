#include "runbooks/runbook_library.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QUrl>

namespace vigil {

QString runbookFileName(AlertType type)
{
    return QString::fromUtf8(alertTypeName(type)) + QStringLiteral(".md");
}

QString bundledRunbookFolder()
{
    return QStringLiteral(":/vigil/runbooks");
}

std::optional<QString> bundledRunbook(AlertType type)
{
    QFile file(bundledRunbookFolder() + QLatin1Char('/') + runbookFileName(type));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return QString::fromUtf8(file.readAll());
}

QString installedRunbookFolder()
{
    QStringList candidates;
    if (QCoreApplication::instance())
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/vigil/runbooks");
    candidates << QStringLiteral(VIGIL_INSTALLED_RUNBOOKS);
    // Run from its build tree, Vigil links to the pages it was built from
    // rather than to an install folder that does not exist.
    candidates << QStringLiteral(VIGIL_SOURCE_RUNBOOKS);
    for (const QString &candidate : candidates) {
        const QDir dir(candidate);
        if (dir.exists())
            return dir.canonicalPath();
    }
    return {};
}

std::string runbookUrl(AlertType type, const std::string &baseUrl)
{
    const QString file = runbookFileName(type);
    if (!baseUrl.empty()) {
        QString base = QString::fromStdString(baseUrl);
        if (!base.endsWith(QLatin1Char('/')))
            base += QLatin1Char('/');
        return QString(base + file).toStdString();
    }
    QString folder = installedRunbookFolder();
    if (folder.isEmpty())
        folder = QStringLiteral(VIGIL_INSTALLED_RUNBOOKS);
    return QUrl::fromLocalFile(folder + QLatin1Char('/') + file).toString().toStdString();
}

} // namespace vigil
