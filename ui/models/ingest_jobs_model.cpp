#include "models/ingest_jobs_model.h"

#include "ingest/ingest_controller.h"
#include "util/format.h"

namespace vigil::ui {

IngestJobsModel::IngestJobsModel(IngestController &controller, QObject *parent)
    : QAbstractTableModel(parent), m_controller(controller), m_ids(controller.jobIds())
{
    connect(&controller, &IngestController::jobAdded, this, &IngestJobsModel::onJobAdded);
    connect(&controller, &IngestController::jobChanged, this, &IngestJobsModel::onJobChanged);
}

void IngestJobsModel::onJobAdded(int id)
{
    const int row = static_cast<int>(m_ids.size());
    beginInsertRows({}, row, row);
    m_ids << id;
    endInsertRows();
}

void IngestJobsModel::onJobChanged(int id)
{
    const auto row = m_ids.indexOf(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), ColumnCount - 1));
}

int IngestJobsModel::jobIdAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0;
}

int IngestJobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int IngestJobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IngestJobsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size() || index.column() >= ColumnCount)
        return {};
    const IngestJob *job = m_controller.job(m_ids.at(index.row()));
    if (!job)
        return {};
    if (role == JobIdRole)
        return job->id;
    if (role == Qt::ToolTipRole)
        return job->files.join(QLatin1Char('\n'));
    if (role == Qt::TextAlignmentRole && index.column() >= ProgressColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const long long records = job->summary.records + (job->active() ? job->progress.records : 0);
    switch (index.column()) {
    case FilesColumn: return QString((job->follow ? tr("follow ") : QString()) + job->title());
    case StateColumn: return ingestStateName(job->state, job->follow);
    case ProgressColumn: {
        const int p = job->percent();
        return p < 0 ? QStringLiteral("-") : QString::number(p) + QLatin1Char('%');
    }
    case RecordsColumn: return formatCount(records);
    case QuarantinedColumn: return formatCount(job->summary.quarantined);
    }
    return {};
}

QVariant IngestJobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FilesColumn: return tr("Files");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Progress");
    case RecordsColumn: return tr("Records");
    case QuarantinedColumn: return tr("Quarantined");
    }
    return {};
}

} // namespace vigil::ui
