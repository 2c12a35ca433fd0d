#pragma once

#include "ingest/file_ingester.h"
#include "ingest/ingest_summary.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <utility>
#include <vector>

namespace vigil::ui {

enum class IngestState { Queued, Running, Following, Finished, Cancelled, Failed };

QString ingestStateName(IngestState state, bool follow);

// One ingest started from the window: files opened together (read one after
// another), or one file followed like `tail -F`. A value the controller
// replaces as the job moves on.
struct IngestJob
{
    int id = 0;
    QStringList files;
    bool follow = false;
    IngestState state = IngestState::Queued;
    int currentFile = 0;     // index into files
    IngestProgress progress; // of the current file
    IngestSummary summary;   // the committed batches so far, all files
    std::vector<std::pair<QString, IngestSummary>> perFile;
    std::int64_t startedAtMs = 0; // quarantined lines of this job were received at or after this
    std::int64_t finishedAtMs = 0;

    bool active() const
    {
        return state == IngestState::Queued || state == IngestState::Running || state == IngestState::Following;
    }
    int percent() const; // of the whole job; -1 when unknown
    QString title() const;      // "events.ndjson" or "3 files"
    QString statusText() const; // "Ingesting events.ndjson (2 of 3), 45%"
};

} // namespace vigil::ui
