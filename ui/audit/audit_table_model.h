#pragma once

#include "audit/audit_chunk.h"
#include "query/latest_query.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace vigil::ui {

class AuditService;

// The audit table: model calls of one filter and order, fetched in chunks
// on the audit service's worker (its own read connection) as the view
// scrolls, like DB Browser for SQLite's table model. A new filter or order
// resets the rows and moves the generation on; a chunk that lands for an older
// one is dropped. Rows are never read on the UI thread.
class AuditTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Tenant, User, Model, Prompt, Latency, Tokens, Cost, Outcome, ErrorType, Snippet, ColumnCount };
    enum Role { RowIdRole = Qt::UserRole + 1, RequestIdRole, MarkedSnippetRole };
    static constexpr std::int64_t kDefaultChunkRows = 256;

    explicit AuditTableModel(AuditService &service, QObject *parent = nullptr);

    // Starts over with this filter (and the current order).
    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_filter; }
    bool hasFilter() const { return m_hasFilter; }
    AuditSort sortOrder() const { return m_sort; }
    void setChunkRows(std::int64_t rows) { m_chunkRows = std::max<std::int64_t>(1, rows); }
    void clear(); // no store: no rows, nothing to fetch

    const AuditRow *rowAt(int row) const;
    int rowOf(std::int64_t rowId) const; // -1 when not loaded
    bool isFetching() const { return m_fetch.inFlight(); }
    bool atEnd() const { return m_atEnd; }
    std::uint64_t droppedAnswers() const { return m_fetch.dropped(); }
    QString lastError() const { return m_error; }
    // Fetches the next chunk when there may be one (the view does this as it scrolls).
    void fetchNext() { fetchMore({}); }
    // Column for a sort order, and back.
    static int sortColumn(AuditSort sort);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void fetchStarted();
    void chunkLoaded(int rows); // rows appended (0 when the end was reached)
    void failed(const QString &message);
    void sortOrderChanged(vigil::AuditSort sort);

private:
    void restart();

    AuditService &m_service;
    AuditFilter m_filter;
    bool m_hasFilter = false;
    AuditSort m_sort = AuditSort::TimeDesc;
    std::int64_t m_chunkRows = kDefaultChunkRows;
    std::vector<AuditRow> m_rows;
    std::vector<QString> m_snippets; // with match marks, when searching
    bool m_atEnd = true;
    bool m_inserting = false;
    LatestQuery m_fetch;
    QString m_error;
};

} // namespace vigil::ui
