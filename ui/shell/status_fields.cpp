#include "shell/status_fields.h"

#include "ingest/ingest_status_widget.h"
#include "util/format.h"

#include <QLabel>
#include <QStatusBar>

namespace vigil::ui {

StatusFields::StatusFields(QStatusBar *bar, IngestController &ingest) : QObject(bar)
{
    m_store = new QLabel(bar);
    m_store->setObjectName(QStringLiteral("statusStore"));
    m_records = new QLabel(bar);
    m_records->setObjectName(QStringLiteral("statusRecords"));
    m_lastIngest = new QLabel(bar);
    m_lastIngest->setObjectName(QStringLiteral("statusLastIngest"));
    m_ingest = new IngestStatusWidget(ingest, bar);
    bar->addWidget(m_store);
    bar->addWidget(m_records);
    bar->addWidget(m_lastIngest);
    bar->addPermanentWidget(m_ingest);
    setStore({}, false);
}

void StatusFields::setStore(const QString &path, bool readOnly, const QString &readOnlyReason)
{
    if (path.isEmpty()) {
        m_store->setText(tr("No store open"));
        m_store->setToolTip({});
        m_records->clear();
        m_lastIngest->clear();
        return;
    }
    const QString shown = m_store->fontMetrics().elidedText(path, Qt::ElideMiddle, 520);
    m_store->setText(tr("Store: %1%2").arg(shown, readOnly ? tr(" (read-only)") : QString()));
    m_store->setToolTip(readOnly && !readOnlyReason.isEmpty() ? path + QLatin1Char('\n') + readOnlyReason : path);
    m_records->setText(tr("counting records…"));
}

void StatusFields::setStatus(const StoreStatus &status, std::int64_t nowMs)
{
    m_records->setText(tr("%1 records").arg(formatCount(status.records)));
    m_lastIngest->setText(status.lastCommitMs ? tr("last ingest %1 (%2 ago)")
                                                    .arg(formatDateTime(*status.lastCommitMs), formatAge(nowMs - *status.lastCommitMs))
                                              : tr("nothing ingested yet"));
}

QString StatusFields::storeText() const
{
    return m_store->text();
}

QString StatusFields::recordsText() const
{
    return m_records->text();
}

QString StatusFields::lastIngestText() const
{
    return m_lastIngest->text();
}

} // namespace vigil::ui
