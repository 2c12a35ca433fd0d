#pragma once

#include <QString>

namespace vigil {

// Where the store lives, per ARCHITECTURE.md: `--db PATH` when given, else the
// VIGIL_DB environment variable, else vigil.db in the platform data folder
// (QStandardPaths::AppDataLocation).
QString resolveStorePath(const QString &dbOption);

} // namespace vigil
