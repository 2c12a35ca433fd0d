#include "prompts/prompt_list_model.h"

#include "util/format.h"

#include <QFont>

namespace vigil::ui {

PromptListModel::PromptListModel(QObject *parent) : QAbstractTableModel(parent) {}

void PromptListModel::setSnapshot(std::shared_ptr<const PromptListSnapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

const PromptRow *PromptListModel::row(int index) const
{
    if (!m_snapshot || index < 0 || index >= static_cast<int>(m_snapshot->rows.size()))
        return nullptr;
    return &m_snapshot->rows[static_cast<std::size_t>(index)];
}

int PromptListModel::rowOf(const std::string &name) const
{
    if (!m_snapshot)
        return -1;
    for (std::size_t i = 0; i < m_snapshot->rows.size(); ++i) {
        if (m_snapshot->rows[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int PromptListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_snapshot ? 0 : static_cast<int>(m_snapshot->rows.size());
}

int PromptListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PromptListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const PromptRow &r = *row(index.row());
    const auto &active = r.active;
    if (role == kNameRole)
        return QString::fromStdString(r.name);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return QString::fromStdString(r.name);
        case ActiveVersion: return active ? QString::fromStdString(active->sha.substr(0, 7)) : tr("none");
        case ActiveSince: return active ? formatDateTime(active->activatedAtMs) : QString();
        case Versions: return static_cast<qulonglong>(r.versionCount);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (!active)
            return tr("%1 (%2): no version activated through Vigil yet; the latest is %3")
                .arg(QString::fromStdString(r.name), QString::fromStdString(r.path),
                     QString::fromStdString(r.latestSha.substr(0, 7)));
        return tr("%1 (%2): %3 active since %4 by %5%6")
            .arg(QString::fromStdString(r.name), QString::fromStdString(r.path),
                 QString::fromStdString(active->sha.substr(0, 7)), formatDateTime(active->activatedAtMs),
                 QString::fromStdString(active->by()),
                 active->reason ? QStringLiteral(" — “%1”").arg(QString::fromStdString(*active->reason)) : QString());
    }
    if (role == Qt::FontRole && index.column() == ActiveVersion) {
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        return mono;
    }
    if (role == Qt::TextAlignmentRole && index.column() == Versions)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant PromptListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Prompt");
    case ActiveVersion: return tr("Active");
    case ActiveSince: return tr("Since");
    case Versions: return tr("Versions");
    default: return {};
    }
}

} // namespace vigil::ui
