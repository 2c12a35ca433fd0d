#include "ingest/ingest_jobs_panel.h"

#include "ingest/ingest_controller.h"
#include "models/ingest_jobs_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace vigil::ui {

IngestJobsPanel::IngestJobsPanel(IngestController &controller, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_model(new IngestJobsModel(controller, this))
{
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(IngestJobsModel::FilesColumn, QHeaderView::Stretch);
    auto *cancel = new QPushButton(tr("Cancel / stop"), this);
    auto *summary = new QPushButton(tr("Summary…"), this);
    connect(cancel, &QPushButton::clicked, this, [this] { m_controller.cancel(selectedJob()); });
    connect(summary, &QPushButton::clicked, this, [this] {
        if (const int id = selectedJob())
            Q_EMIT summaryRequested(id);
    });
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (const int id = selectedJob())
            Q_EMIT summaryRequested(id);
    });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(summary);
    buttons->addWidget(cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
}

int IngestJobsPanel::selectedJob() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->jobIdAt(current.row()) : 0;
}

} // namespace vigil::ui
