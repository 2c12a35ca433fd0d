#pragma once

#include "ingest/ingest_job.h"

#include <QDialog>

class QTableWidget;
class QLabel;

namespace vigil::ui {

// What a finished ingest did: records stored, duplicates, files that could
// not be read, and the quarantined lines by reason, with a way to see them.
class IngestSummaryDialog final : public QDialog
{
    Q_OBJECT

public:
    IngestSummaryDialog(const IngestJob &job, QString storePath, QWidget *parent = nullptr);

    QString headline() const;
    // reason -> count, as listed
    QList<QPair<QString, qint64>> reasons() const;
    void showQuarantined(const QString &reason = {}); // opens the quarantine view

private:
    IngestJob m_job;
    QString m_storePath;
    QLabel *m_headline = nullptr;
    QTableWidget *m_reasons = nullptr;
};

} // namespace vigil::ui
