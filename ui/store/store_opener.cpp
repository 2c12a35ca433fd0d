#include "store/store_opener.h"

#include "store/metrics_reader.h"
#include "store/write_queue.h"

#include <QFileInfo>

namespace vigil::ui {

namespace {
StoreOpenResult failed(const QString &path, StoreErrorKind kind, const QString &message)
{
    StoreOpenResult r;
    r.failure = StoreOpenFailure{path, kind, message};
    return r;
}
} // namespace

StoreOpenResult openStore(const QString &path, OpenMode mode)
{
    if (path.isEmpty())
        return failed(path, StoreErrorKind::NotFound, QStringLiteral("No store path was given."));
    const QFileInfo info(path);
    if (info.exists() && info.isDir())
        return failed(path, StoreErrorKind::NotAVigilStore, path + QStringLiteral(": is a folder, not a store file"));
    if (!info.exists() && mode != OpenMode::CreateIfMissing)
        return failed(path, StoreErrorKind::NotFound, path + QStringLiteral(": no Vigil store here"));

    const std::string p = path.toStdString();
    OpenedStore opened;
    opened.path = path;
    try {
        if (info.exists()) {
            // The reader checks identity and schema without creating anything;
            // an older schema is brought up to date here.
            MetricsReader check(p);
            check.lastCommitMs();
        }
        if (mode == OpenMode::ReadOnly) {
            opened.readOnly = true;
            opened.readOnlyReason = QStringLiteral("opened read-only");
        } else {
            try {
                opened.writer = std::make_shared<WriteQueue>(p);
            } catch (const StoreError &e) {
                // A store we can read but not write is still worth browsing.
                if (e.kind() != StoreErrorKind::NotWritable || !info.exists())
                    throw;
                opened.readOnly = true;
                opened.readOnlyReason = QString::fromUtf8(e.what());
            }
        }
    } catch (const StoreError &e) {
        return failed(path, e.kind(), QString::fromUtf8(e.what()));
    } catch (const std::exception &e) {
        return failed(path, StoreErrorKind::Other, QString::fromUtf8(e.what()));
    }
    StoreOpenResult r;
    r.store = std::move(opened);
    return r;
}

StoreFailureText describeStoreFailure(const StoreOpenFailure &failure)
{
    const QString where = failure.path.isEmpty() ? QStringLiteral("(no path)") : failure.path;
    switch (failure.kind) {
    case StoreErrorKind::NotFound:
        return {QStringLiteral("There is no Vigil store here"),
                QStringLiteral("Nothing exists at %1. Create an empty store there, choose another store, "
                               "or open the demo store to look around.")
                    .arg(where),
                true};
    case StoreErrorKind::Locked:
        return {QStringLiteral("The store is locked by another process"),
                QStringLiteral("Another program held %1 locked for longer than Vigil waits. Close it (or "
                               "wait for it to finish) and try again, or choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::NewerSchema:
        return {QStringLiteral("The store was written by a newer Vigil"),
                QStringLiteral("%1 uses a newer store format than this Vigil understands. It has not "
                               "been touched. Upgrade Vigil to open it, or choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::NotAVigilStore:
        return {QStringLiteral("This file is not a Vigil store"),
                QStringLiteral("%1 is not a Vigil store (another application's database, or not a "
                               "database at all). It has not been touched. Choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::NotWritable:
        return {QStringLiteral("The store cannot be created or written"),
                QStringLiteral("Vigil cannot create or write %1 (permissions, a read-only disk, or a "
                               "missing folder). Choose another place.")
                    .arg(where),
                false};
    case StoreErrorKind::DiskFull:
        return {QStringLiteral("The disk is full"),
                QStringLiteral("There is no space left to open %1. Free some space or choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::Corrupt:
        return {QStringLiteral("The store is damaged"),
                QStringLiteral("%1 is damaged and cannot be read safely. It has not been changed. "
                               "Restore it from a backup, or choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::Io:
        return {QStringLiteral("The store could not be read"),
                QStringLiteral("An I/O error occurred reading %1. Check the disk, or choose another store.")
                    .arg(where),
                false};
    case StoreErrorKind::Other: break;
    }
    return {QStringLiteral("The store could not be opened"),
            QStringLiteral("%1 could not be opened. Choose another store.").arg(where), false};
}

} // namespace vigil::ui
