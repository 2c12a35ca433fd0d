#include "ingest/ingest_summary_dialog.h"

#include "ingest/quarantine_dialog.h"
#include "util/format.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil::ui {

IngestSummaryDialog::IngestSummaryDialog(const IngestJob &job, QString storePath, QWidget *parent)
    : QDialog(parent), m_job(job), m_storePath(std::move(storePath))
{
    setObjectName(QStringLiteral("ingestSummaryDialog"));
    setWindowTitle(tr("Ingest of %1").arg(job.title()));
    const IngestSummary &s = job.summary;
    m_headline = new QLabel(this);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    m_headline->setText(tr("%1 (%2): %3 records stored, %4 duplicates skipped, %5 lines quarantined")
                            .arg(job.title(), ingestStateName(job.state, job.follow), formatCount(s.records),
                                 formatCount(s.duplicates), formatCount(s.quarantined)));
    m_headline->setWordWrap(true);

    QStringList lines;
    for (const auto &[path, summary] : job.perFile)
        lines << tr("%1: %2 records, %3 quarantined").arg(QFileInfo(path).fileName(), formatCount(summary.records),
                                                         formatCount(summary.quarantined));
    for (const std::string &e : s.fileErrors)
        lines << tr("Could not read %1").arg(QString::fromStdString(e));
    if (s.storeError)
        lines << tr("The store failed: %1").arg(QString::fromUtf8(s.storeError->what()));
    auto *details = new QLabel(lines.join(QLatin1Char('\n')), this);
    details->setWordWrap(true);
    details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_reasons = new QTableWidget(static_cast<int>(s.quarantinedByReason.size()), 2, this);
    m_reasons->setObjectName(QStringLiteral("quarantineReasons"));
    m_reasons->setHorizontalHeaderLabels({tr("Reason"), tr("Lines")});
    m_reasons->verticalHeader()->hide();
    m_reasons->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_reasons->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_reasons->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    int row = 0;
    for (const auto &[reason, count] : s.quarantinedByReason) {
        m_reasons->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(reason)));
        auto *n = new QTableWidgetItem(formatCount(count));
        n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_reasons->setItem(row++, 1, n);
    }
    m_reasons->setVisible(s.quarantined > 0);
    connect(m_reasons, &QTableWidget::cellDoubleClicked, this,
            [this](int r, int) { showQuarantined(m_reasons->item(r, 0)->text()); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    if (s.quarantined > 0) {
        auto *show = buttons->addButton(tr("Show quarantined lines…"), QDialogButtonBox::ActionRole);
        connect(show, &QPushButton::clicked, this, [this] {
            const auto selected = m_reasons->selectionModel()->selectedRows();
            showQuarantined(selected.isEmpty() ? QString() : m_reasons->item(selected.front().row(), 0)->text());
        });
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(details);
    if (s.quarantined > 0)
        layout->addWidget(new QLabel(tr("Quarantined lines by reason (double-click to see them):"), this));
    layout->addWidget(m_reasons);
    layout->addWidget(buttons);
    resize(560, s.quarantined > 0 ? 420 : 200);
}

QString IngestSummaryDialog::headline() const
{
    return m_headline->text();
}

QList<QPair<QString, qint64>> IngestSummaryDialog::reasons() const
{
    QList<QPair<QString, qint64>> out;
    for (const auto &[reason, count] : m_job.summary.quarantinedByReason)
        out.append({QString::fromStdString(reason), count});
    return out;
}

void IngestSummaryDialog::showQuarantined(const QString &reason)
{
    QuarantineQuery query;
    query.sources = m_job.files;
    query.reason = reason;
    query.sinceMs = m_job.startedAtMs;
    auto *dialog = new QuarantineDialog(m_storePath, query, parentWidget() ? parentWidget() : this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace vigil::ui
