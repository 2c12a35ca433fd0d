#include "prompts/version_history_model.h"

#include "util/format.h"

#include <QFont>
#include <QPalette>

namespace vigil::ui {

VersionHistoryModel::VersionHistoryModel(QObject *parent) : QAbstractTableModel(parent) {}

void VersionHistoryModel::setSnapshot(std::shared_ptr<const HistorySnapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

const PromptVersion *VersionHistoryModel::version(int row) const
{
    if (!m_snapshot || row < 0 || row >= static_cast<int>(m_snapshot->versions.size()))
        return nullptr;
    return &m_snapshot->versions[static_cast<std::size_t>(row)];
}

const VersionMetrics *VersionHistoryModel::metrics(int row) const
{
    if (!m_snapshot || row < 0 || row >= static_cast<int>(m_snapshot->metrics.size()))
        return nullptr;
    return &m_snapshot->metrics[static_cast<std::size_t>(row)];
}

int VersionHistoryModel::rowOfSha(const std::string &sha) const
{
    if (!m_snapshot)
        return -1;
    for (std::size_t i = 0; i < m_snapshot->versions.size(); ++i) {
        if (m_snapshot->versions[i].sha == sha)
            return static_cast<int>(i);
    }
    return -1;
}

bool VersionHistoryModel::isActive(int row) const
{
    const PromptVersion *v = version(row);
    return v && m_snapshot->active && m_snapshot->active->sha == v->sha;
}

int VersionHistoryModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_snapshot)
        return 0;
    // Metrics hold one entry per version plus the unmatched stamps (none when cancelled).
    return static_cast<int>(std::max(m_snapshot->versions.size(), m_snapshot->metrics.size()));
}

int VersionHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags VersionHistoryModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant VersionHistoryModel::display(int row, int column) const
{
    const PromptVersion *v = version(row);
    const VersionMetrics *m = metrics(row);
    const bool seen = m && m->requests > 0;
    switch (column) {
    case State:
        if (isActive(row))
            return tr("● active");
        if (v && m_snapshot->rollbackTarget && *m_snapshot->rollbackTarget == v->sha)
            return tr("↶ rollback");
        return QString();
    case Version: {
        if (!v)
            return m ? QString::fromStdString(m->sha) : QString();
        QString text = QString::fromStdString(v->shortSha);
        for (const std::string &tag : v->tags)
            text += QStringLiteral(" [%1]").arg(QString::fromStdString(tag));
        return text;
    }
    case Author: return v ? QString::fromStdString(v->author) : QString();
    case Date: return v ? formatDateTime(v->dateMs) : QString();
    case Subject: return v ? QString::fromStdString(v->subject) : tr("(stamped on records; not in the repository)");
    case Requests: return m ? formatCount(static_cast<long long>(m->requests)) : QString();
    case P50: return seen ? formatMs(m->p50Ms) : QStringLiteral("-");
    case P95: return seen ? formatMs(m->p95Ms) : QStringLiteral("-");
    case ErrorRate: return seen ? formatPercent(m->errorRate) : QStringLiteral("-");
    case FallbackRate: return seen ? formatPercent(m->fallbackRate) : QStringLiteral("-");
    case CostPerRequest: return seen && m->meanCostUsd ? formatUsd(*m->meanCostUsd) : QStringLiteral("-");
    case LastSeen: return seen && m->lastSeenMs ? formatDateTime(*m->lastSeenMs) : QStringLiteral("-");
    default: return {};
    }
}

QVariant VersionHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const int row = index.row();
    const PromptVersion *v = version(row);
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case kShaRole: return v ? QString::fromStdString(v->sha) : QString();
    case Qt::ToolTipRole: {
        if (!v)
            return tr("Records stamp prompt_version “%1”, which no version of this prompt matches.")
                .arg(display(row, Version).toString());
        QString tip = QStringLiteral("%1 — %2 <%3>\n%4").arg(QString::fromStdString(v->sha), QString::fromStdString(v->author),
                                                              QString::fromStdString(v->authorEmail),
                                                              QString::fromStdString(v->subject));
        if (isActive(row)) {
            const PromptActivation &a = *m_snapshot->active;
            tip += tr("\nActive since %1 by %2").arg(formatDateTime(a.activatedAtMs), QString::fromStdString(a.by()));
            if (a.reason)
                tip += QStringLiteral(": “%1”").arg(QString::fromStdString(*a.reason));
        }
        if (const VersionMetrics *m = metrics(row); m && m->requests > 0 && m->firstSeenMs && m->lastSeenMs)
            tip += tr("\nSeen in the records from %1 to %2").arg(formatDateTime(*m->firstSeenMs), formatDateTime(*m->lastSeenMs));
        return tip;
    }
    case Qt::FontRole: {
        QFont font;
        if (index.column() == Version) {
            font = QFont(QStringLiteral("monospace"));
            font.setStyleHint(QFont::Monospace);
        }
        if (isActive(row))
            font.setBold(true);
        return font;
    }
    case Qt::ForegroundRole:
        if (!v)
            return QPalette().color(QPalette::PlaceholderText);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= Requests)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

QVariant VersionHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section >= Requests)
        return tr("Over the chosen time range, from the records that stamp this version");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case State: return QString();
    case Version: return tr("Version");
    case Author: return tr("Author");
    case Date: return tr("Date");
    case Subject: return tr("Subject");
    case Requests: return tr("Requests");
    case P50: return tr("p50");
    case P95: return tr("p95");
    case ErrorRate: return tr("Errors");
    case FallbackRate: return tr("Fallback");
    case CostPerRequest: return tr("Cost/req");
    case LastSeen: return tr("Last seen");
    default: return {};
    }
}

} // namespace vigil::ui
