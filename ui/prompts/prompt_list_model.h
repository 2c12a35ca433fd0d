#pragma once

#include "prompts/prompt_jobs.h"

#include <QAbstractTableModel>

#include <memory>

namespace vigil::ui {

// The prompts of the repository, each with its active version and since when.
class PromptListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, ActiveVersion, ActiveSince, Versions, ColumnCount };
    static constexpr int kNameRole = Qt::UserRole + 1;

    explicit PromptListModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const PromptListSnapshot> snapshot);
    const PromptListSnapshot *snapshot() const { return m_snapshot.get(); }
    const PromptRow *row(int index) const;
    int rowOf(const std::string &name) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const PromptListSnapshot> m_snapshot;
};

} // namespace vigil::ui
