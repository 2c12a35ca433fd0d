#pragma once

#include "prompts/prompt_jobs.h"

#include <QAbstractTableModel>

#include <memory>

namespace vigil::ui {

// One prompt's versions, newest first, with their live figures over the
// chosen range; after them, versions the records stamp that the repository
// does not list. The active version and the rollback target are marked.
class VersionHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        State,
        Version,
        Author,
        Date,
        Subject,
        Requests,
        P50,
        P95,
        ErrorRate,
        FallbackRate,
        CostPerRequest,
        LastSeen,
        ColumnCount
    };
    static constexpr int kShaRole = Qt::UserRole + 1; // the full SHA; empty for an unknown stamp

    explicit VersionHistoryModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const HistorySnapshot> snapshot);
    const HistorySnapshot *snapshot() const { return m_snapshot.get(); }
    // Rows: versions first, then unmatched stamps.
    const PromptVersion *version(int row) const; // nothing for an unmatched stamp
    const VersionMetrics *metrics(int row) const;
    int rowOfSha(const std::string &sha) const; // -1 when absent
    bool isActive(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QVariant display(int row, int column) const;
    std::shared_ptr<const HistorySnapshot> m_snapshot;
};

} // namespace vigil::ui
