#include "models/movers_model.h"

#include "util/format.h"
#include "util/theme.h"

#include <QApplication>

namespace vigil::ui {

MoversModel::MoversModel(MoverMetric metric, QObject *parent) : QAbstractTableModel(parent), m_metric(metric) {}

void MoversModel::setMovers(std::vector<Mover> movers)
{
    const bool sameRows = movers.size() == m_movers.size() &&
                          std::equal(movers.begin(), movers.end(), m_movers.begin(), [](const Mover &a, const Mover &b) {
                              return a.dimension == b.dimension && a.key == b.key;
                          });
    if (sameRows) {
        m_movers = std::move(movers);
        if (!m_movers.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_movers = std::move(movers);
    endResetModel();
}

const Mover *MoversModel::moverAt(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_movers.size() ? &m_movers[static_cast<std::size_t>(row)]
                                                                       : nullptr;
}

int MoversModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_movers.size());
}

int MoversModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MoversModel::valueText(std::optional<double> value) const
{
    return m_metric == MoverMetric::P95Latency ? formatMs(value) : formatPercent(value);
}

QVariant MoversModel::data(const QModelIndex &index, int role) const
{
    const Mover *m = index.isValid() ? moverAt(index.row()) : nullptr;
    if (!m || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case WhatColumn: return dimensionName(m->dimension);
        case NameColumn: return QString::fromStdString(m->key);
        case NowColumn: return valueText(m->value);
        case BeforeColumn:
            return m->baselineIsPrompt ? valueText(m->baseline) + QStringLiteral(" *") : valueText(m->baseline);
        case ChangeColumn:
            return m_metric == MoverMetric::P95Latency ? formatRelativeChange(m->value, m->baseline)
                                                       : formatPointChange(m->value, m->baseline);
        case RequestsColumn: return formatCount(static_cast<long long>(m->requests));
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= NowColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (index.column() == ChangeColumn)
            return statusColors(QApplication::palette()).bad;
        break;
    case Qt::ToolTipRole:
        if (m->baselineIsPrompt)
            return tr("This version was not live in the window before; it is compared with prompt %1 as a "
                      "whole then (%2 requests).")
                .arg(QString::fromStdString(m->key.substr(0, m->key.rfind('@'))), formatCount(static_cast<long long>(m->baselineRequests)));
        return tr("%1 requests now, %2 in the window before")
            .arg(formatCount(static_cast<long long>(m->requests)), formatCount(static_cast<long long>(m->baselineRequests)));
    case DimensionRole: return static_cast<int>(m->dimension);
    case KeyRole: return QString::fromStdString(m->key);
    case ChangeRole: return m->change;
    default: break;
    }
    return {};
}

QVariant MoversModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool latency = m_metric == MoverMetric::P95Latency;
    switch (section) {
    case WhatColumn: return tr("What");
    case NameColumn: return tr("Name");
    case NowColumn: return latency ? tr("p95 now") : tr("Errors now");
    case BeforeColumn: return tr("Before");
    case ChangeColumn: return tr("Change");
    case RequestsColumn: return tr("Requests");
    }
    return {};
}

} // namespace vigil::ui
