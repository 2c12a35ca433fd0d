#include "store/store_location.h"

#include <QDir>
#include <QStandardPaths>

namespace vigil {

QString resolveStorePath(const QString &dbOption)
{
    if (!dbOption.isEmpty())
        return QDir::cleanPath(QDir::current().absoluteFilePath(dbOption));
    const QString fromEnv = qEnvironmentVariable("VIGIL_DB");
    if (!fromEnv.isEmpty())
        return QDir::cleanPath(QDir::current().absoluteFilePath(fromEnv));
    QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (folder.isEmpty())
        folder = QDir::homePath() + QStringLiteral("/.local/share/vigil");
    return folder + QStringLiteral("/vigil.db");
}

} // namespace vigil
