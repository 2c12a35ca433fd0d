#include "ingest/ingest_job.h"

#include "util/format.h"

#include <QFileInfo>

namespace vigil::ui {

QString ingestStateName(IngestState state, bool follow)
{
    switch (state) {
    case IngestState::Queued: return QStringLiteral("queued");
    case IngestState::Running: return follow ? QStringLiteral("catching up") : QStringLiteral("ingesting");
    case IngestState::Following: return QStringLiteral("following");
    case IngestState::Finished: return QStringLiteral("done");
    case IngestState::Cancelled: return follow ? QStringLiteral("stopped") : QStringLiteral("cancelled");
    case IngestState::Failed: return QStringLiteral("failed");
    }
    return {};
}

int IngestJob::percent() const
{
    if (state == IngestState::Finished)
        return 100;
    if (follow || files.isEmpty() || progress.bytesTotal <= 0)
        return -1;
    const double inFile = std::min(1.0, static_cast<double>(progress.compressedDone > 0 ? progress.compressedDone
                                                                                          : progress.bytesDone) /
                                            static_cast<double>(progress.bytesTotal));
    return static_cast<int>(100.0 * (currentFile + inFile) / static_cast<double>(files.size()));
}

QString IngestJob::title() const
{
    if (files.size() == 1)
        return QFileInfo(files.front()).fileName();
    return QStringLiteral("%1 files").arg(files.size());
}

QString IngestJob::statusText() const
{
    const long long records = summary.records + (active() ? progress.records : 0);
    QString where = QFileInfo(files.value(currentFile)).fileName();
    if (files.size() > 1)
        where += QStringLiteral(" (%1 of %2)").arg(currentFile + 1).arg(files.size());
    switch (state) {
    case IngestState::Queued: return QStringLiteral("Waiting to ingest %1").arg(title());
    case IngestState::Running:
        return QStringLiteral("%1 %2, %3 records").arg(follow ? QStringLiteral("Catching up with") : QStringLiteral("Ingesting"), where, formatCount(records));
    case IngestState::Following:
        return QStringLiteral("Following %1, %2 records").arg(where, formatCount(records));
    case IngestState::Finished:
        return QStringLiteral("Ingested %1: %2 records, %3 quarantined")
            .arg(title(), formatCount(summary.records), formatCount(summary.quarantined));
    case IngestState::Cancelled:
        return QStringLiteral("%1 %2 after %3 records")
            .arg(follow ? QStringLiteral("Stopped following") : QStringLiteral("Cancelled"), title(),
                 formatCount(summary.records));
    case IngestState::Failed: return QStringLiteral("Ingest of %1 failed").arg(title());
    }
    return {};
}

} // namespace vigil::ui
