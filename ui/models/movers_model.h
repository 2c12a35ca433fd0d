#pragma once

#include "query/movers.h"

#include <QAbstractTableModel>

#include <vector>

namespace vigil::ui {

// The top movers of one metric (p95 latency or error rate) as a table. A new
// snapshot with the same rows only changes the values, so a selection
// survives the refresh that comes every few seconds.
class MoversModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { WhatColumn, NameColumn, NowColumn, BeforeColumn, ChangeColumn, RequestsColumn, ColumnCount };
    enum Role { DimensionRole = Qt::UserRole + 1, KeyRole, ChangeRole };

    explicit MoversModel(MoverMetric metric, QObject *parent = nullptr);

    void setMovers(std::vector<Mover> movers);
    const Mover *moverAt(int row) const;
    MoverMetric metric() const { return m_metric; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString valueText(std::optional<double> value) const;

    MoverMetric m_metric;
    std::vector<Mover> m_movers;
};

} // namespace vigil::ui
