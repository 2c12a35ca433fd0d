#include "ingest_report.h"

#include "cli.h"

#include <QJsonArray>

namespace vigil::cli {

QJsonObject ingestSummaryJson(const IngestSummary &s)
{
    QJsonObject byReason;
    for (const auto &[reason, count] : s.quarantinedByReason)
        byReason.insert(QString::fromStdString(reason), static_cast<qint64>(count));
    QJsonArray errors;
    for (const auto &e : s.fileErrors)
        errors.append(QString::fromStdString(e));
    QJsonObject o{
        {QStringLiteral("records"), static_cast<qint64>(s.records)},
        {QStringLiteral("duplicates"), static_cast<qint64>(s.duplicates)},
        {QStringLiteral("quarantined"), static_cast<qint64>(s.quarantined)},
        {QStringLiteral("quarantined_by_reason"), byReason},
        {QStringLiteral("seconds"), s.seconds},
        {QStringLiteral("records_per_second"), s.recordsPerSecond()},
        {QStringLiteral("bytes"), static_cast<qint64>(s.bytes)},
        {QStringLiteral("file_errors"), errors},
    };
    if (s.storeError)
        o.insert(QStringLiteral("store_error"), QString::fromUtf8(s.storeError->what()));
    return o;
}

void printIngestSummary(const IngestSummary &s, int files)
{
    out() << "Ingested " << files << (files == 1 ? " file" : " files") << " in "
          << QString::number(s.seconds, 'f', 1) << " s: " << formatCount(s.records)
          << " records stored, " << formatCount(s.duplicates) << " duplicates, "
          << formatCount(s.quarantined) << " quarantined ("
          << formatCount(static_cast<long long>(s.recordsPerSecond())) << " records/s, "
          << formatBytes(static_cast<double>(s.bytes)) << ")\n";
    if (!s.quarantinedByReason.empty()) {
        out() << "  quarantined by reason:";
        for (const auto &[reason, count] : s.quarantinedByReason)
            out() << ' ' << QString::fromStdString(reason) << ' ' << formatCount(count) << ';';
        out() << "\n  see them with: vigilctl quarantine list\n";
    }
    out().flush();
}

} // namespace vigil::cli
