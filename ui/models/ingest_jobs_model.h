#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace vigil::ui {

class IngestController;

// The window's ingest jobs, oldest first, kept in step with the controller.
class IngestJobsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FilesColumn, StateColumn, ProgressColumn, RecordsColumn, QuarantinedColumn, ColumnCount };
    static constexpr int JobIdRole = Qt::UserRole + 1;

    explicit IngestJobsModel(IngestController &controller, QObject *parent = nullptr);

    int jobIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void onJobAdded(int id);
    void onJobChanged(int id);

    IngestController &m_controller;
    QList<int> m_ids;
};

} // namespace vigil::ui
