#include "audit/audit_table_model.h"

#include "audit/audit_format.h"
#include "audit/audit_service.h"
#include "util/format.h"
#include "util/theme.h"

namespace vigil::ui {

AuditTableModel::AuditTableModel(AuditService &service, QObject *parent) : QAbstractTableModel(parent), m_service(service)
{
}

void AuditTableModel::setFilter(const AuditFilter &filter)
{
    m_filter = filter;
    m_hasFilter = true;
    restart();
}

void AuditTableModel::clear()
{
    m_fetch.cancel();
    m_fetch.next(); // answers still on their way belong to an older generation
    m_fetch.cancel();
    beginResetModel();
    m_rows.clear();
    m_snippets.clear();
    m_hasFilter = false;
    m_atEnd = true;
    m_error.clear();
    endResetModel();
}

void AuditTableModel::restart()
{
    m_fetch.cancel();
    beginResetModel();
    m_rows.clear();
    m_snippets.clear();
    m_atEnd = false;
    m_error.clear();
    endResetModel();
    fetchNext(); // the first chunk at once, before the view asks
}

int AuditTableModel::sortColumn(AuditSort sort)
{
    switch (sort) {
    case AuditSort::TimeDesc:
    case AuditSort::TimeAsc: return Time;
    case AuditSort::LatencyDesc:
    case AuditSort::LatencyAsc: return Latency;
    case AuditSort::CostDesc:
    case AuditSort::CostAsc: return Cost;
    }
    return Time;
}

void AuditTableModel::sort(int column, Qt::SortOrder order)
{
    const bool descending = order == Qt::DescendingOrder;
    AuditSort next = m_sort;
    switch (column) {
    case Time: next = descending ? AuditSort::TimeDesc : AuditSort::TimeAsc; break;
    case Latency: next = descending ? AuditSort::LatencyDesc : AuditSort::LatencyAsc; break;
    case Cost: next = descending ? AuditSort::CostDesc : AuditSort::CostAsc; break;
    default: return; // the store sorts only by these three
    }
    if (next == m_sort)
        return;
    m_sort = next;
    Q_EMIT sortOrderChanged(m_sort);
    if (m_hasFilter)
        restart();
}

bool AuditTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasFilter && !m_atEnd;
}

void AuditTableModel::fetchMore(const QModelIndex &parent)
{
    // Views and testers also ask while rows are being inserted, before the
    // new last row (the cursor) is in place: those asks wait for the next turn.
    if (!canFetchMore(parent) || m_fetch.inFlight() || m_inserting)
        return;
    const LatestQuery::Ticket ticket = m_fetch.next();
    std::optional<AuditCursor> after;
    if (!m_rows.empty())
        after = AuditCursor::after(m_rows.back());
    m_service.read<AuditChunk>(
        this, ticket.cancel,
        [filter = m_filter, sort = m_sort, after, limit = m_chunkRows](AuditReader &reader, const std::atomic<bool> &) {
            return readAuditChunk(reader, filter, sort, after, limit);
        },
        [this, generation = ticket.generation](AuditChunk chunk) {
            if (!m_fetch.accept(generation))
                return; // a chunk of a filter or order the user already left
            m_atEnd = chunk.atEnd;
            const int added = static_cast<int>(chunk.rows.size());
            if (added > 0) {
                const int first = static_cast<int>(m_rows.size());
                m_inserting = true;
                beginInsertRows({}, first, first + added - 1);
                m_rows.insert(m_rows.end(), std::make_move_iterator(chunk.rows.begin()),
                              std::make_move_iterator(chunk.rows.end()));
                for (std::size_t i = 0; i < static_cast<std::size_t>(added); ++i)
                    m_snippets.push_back(i < chunk.snippets.size() ? QString::fromStdString(chunk.snippets[i]) : QString());
                m_inserting = false;
                endInsertRows();
            }
            Q_EMIT chunkLoaded(added);
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (!m_fetch.accept(generation))
                return;
            m_atEnd = true; // stop asking; a new filter or refresh starts over
            m_error = failure.message;
            Q_EMIT failed(failure.message);
        });
    Q_EMIT fetchStarted();
}

const AuditRow *AuditTableModel::rowAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

int AuditTableModel::rowOf(std::int64_t rowId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].rowId == rowId)
            return static_cast<int>(i);
    }
    return -1;
}

int AuditTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    const AuditRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const Record &r = row->record;
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case RowIdRole: return QVariant::fromValue<qint64>(row->rowId);
    case RequestIdRole: return QString::fromStdString(r.requestId);
    case MarkedSnippetRole: return column == Snippet ? m_snippets[static_cast<std::size_t>(index.row())] : QVariant();
    case Qt::DisplayRole:
        switch (column) {
        case Time: return formatCallTime(r.tsMs);
        case Tenant: return QString::fromStdString(r.tenant);
        case User: return QString::fromStdString(r.user);
        case Model: return QString::fromStdString(r.model);
        case Prompt: return formatPrompt(r.promptName, r.promptVersion);
        case Latency: return formatMs(r.latencyMs);
        case Tokens: return formatTokens(r.inputTokens, r.outputTokens);
        case Cost: return r.costUsd ? formatUsd(*r.costUsd) : QStringLiteral("-");
        case Outcome: return QString::fromUtf8(outcomeName(r.outcome).data());
        case ErrorType: return QString::fromStdString(r.errorType);
        case Snippet: return plainSnippet(m_snippets[static_cast<std::size_t>(index.row())]);
        case ColumnCount: break;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == Latency || column == Tokens || column == Cost)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == Outcome && r.outcome != vigil::Outcome::Ok)
            return outcomeColor(static_cast<int>(r.outcome));
        return {};
    case Qt::ToolTipRole:
        if (column == Time)
            return QString::fromStdString(r.requestId);
        if (column == Snippet)
            return plainSnippet(m_snippets[static_cast<std::size_t>(index.row())]);
        return {};
    default: return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Tenant: return tr("Tenant");
    case User: return tr("User");
    case Model: return tr("Model");
    case Prompt: return tr("Prompt");
    case Latency: return tr("Latency");
    case Tokens: return tr("Tokens in → out");
    case Cost: return tr("Cost");
    case Outcome: return tr("Outcome");
    case ErrorType: return tr("Error type");
    case Snippet: return tr("Match");
    default: return {};
    }
}

} // namespace vigil::ui
