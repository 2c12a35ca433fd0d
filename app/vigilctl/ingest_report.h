#pragma once

#include "ingest/ingest_summary.h"

#include <QJsonObject>
#include <QString>

namespace vigil::cli {

// The summary of an ingest run as the human line(s) and as JSON.
QJsonObject ingestSummaryJson(const IngestSummary &summary);
void printIngestSummary(const IngestSummary &summary, int files);

} // namespace vigil::cli
