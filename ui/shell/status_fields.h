#pragma once

#include "query/store_status.h"

#include <QObject>

class QLabel;
class QStatusBar;

namespace vigil::ui {

class IngestController;
class IngestStatusWidget;

// The status bar: the open store, how many records it holds, when data last
// arrived, and what the ingest is doing.
class StatusFields final : public QObject
{
    Q_OBJECT

public:
    StatusFields(QStatusBar *bar, IngestController &ingest);

    void setStore(const QString &path, bool readOnly, const QString &readOnlyReason = {});
    void setStatus(const StoreStatus &status, std::int64_t nowMs);
    IngestStatusWidget *ingestWidget() const { return m_ingest; }

    QString storeText() const;
    QString recordsText() const;
    QString lastIngestText() const;

private:
    QLabel *m_store = nullptr;
    QLabel *m_records = nullptr;
    QLabel *m_lastIngest = nullptr;
    IngestStatusWidget *m_ingest = nullptr;
};

} // namespace vigil::ui
