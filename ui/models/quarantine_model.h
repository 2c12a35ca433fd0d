#pragma once

#include "store/quarantine_reader.h"

#include <QAbstractTableModel>

#include <vector>

namespace vigil::ui {

// Quarantined lines (newest first) as read on a worker; the rows are swapped
// in whole.
class QuarantineModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ReceivedColumn, SourceColumn, LineColumn, ReasonColumn, DetailColumn, ColumnCount };

    explicit QuarantineModel(QObject *parent = nullptr);

    void setLines(std::vector<QuarantinedLine> lines);
    const QuarantinedLine *lineAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<QuarantinedLine> m_lines;
};

} // namespace vigil::ui
