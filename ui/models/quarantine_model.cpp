#include "models/quarantine_model.h"

#include "util/format.h"

#include <QFileInfo>

namespace vigil::ui {

QuarantineModel::QuarantineModel(QObject *parent) : QAbstractTableModel(parent) {}

void QuarantineModel::setLines(std::vector<QuarantinedLine> lines)
{
    beginResetModel();
    m_lines = std::move(lines);
    endResetModel();
}

const QuarantinedLine *QuarantineModel::lineAt(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_lines.size() ? &m_lines[static_cast<std::size_t>(row)]
                                                                       : nullptr;
}

int QuarantineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int QuarantineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QuarantineModel::data(const QModelIndex &index, int role) const
{
    const QuarantinedLine *q = index.isValid() ? lineAt(index.row()) : nullptr;
    if (!q || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ReceivedColumn: return formatDateTime(q->receivedAtMs);
        case SourceColumn: return QFileInfo(QString::fromStdString(q->source)).fileName();
        case LineColumn: return q->line ? QVariant(static_cast<qlonglong>(*q->line)) : QVariant(QStringLiteral("-"));
        case ReasonColumn: return QString::fromStdString(q->reason);
        case DetailColumn: return QString::fromStdString(q->detail);
        }
    } else if (role == Qt::ToolTipRole) {
        if (index.column() == SourceColumn)
            return QString::fromStdString(q->source);
        if (index.column() == DetailColumn)
            return QString::fromStdString(q->detail);
    } else if (role == Qt::UserRole) {
        return static_cast<qlonglong>(q->id);
    } else if (role == Qt::TextAlignmentRole && index.column() == LineColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant QuarantineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ReceivedColumn: return tr("Received");
    case SourceColumn: return tr("Source");
    case LineColumn: return tr("Line");
    case ReasonColumn: return tr("Reason");
    case DetailColumn: return tr("Detail");
    }
    return {};
}

} // namespace vigil::ui
