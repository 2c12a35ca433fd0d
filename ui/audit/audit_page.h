#pragma once

#include "pages/page.h"
#include "query/filter_options.h"
#include "query/latest_query.h"
#include "util/time_range.h"

#include "store/audit_reader.h"
#include "store/chain_verifier.h"

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;
class QToolButton;

namespace vigil::ui {

class AuditDetailView;
class AuditFilterBar;
class AuditService;
class AuditTableModel;
class ChainBanner;
class FilterBar;

// Every model call: a table fetched in chunks as it scrolls (time range and
// tenant/model/provider/prompt follow the window; user, outcome, error type,
// latency, cost, full-text search and "same trace/session" are the page's
// own), a detail pane with the whole conversation, and a red banner while the
// store's hash chain does not hold.
class AuditPage final : public Page
{
    Q_OBJECT

public:
    explicit AuditPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~AuditPage() override;

    QString pageId() const override { return QStringLiteral("audit"); }
    QString title() const override { return tr("Audit"); }
    QIcon icon() const override;
    bool isLoading() const override;

    // The calls of one dashboard bucket: that time span under the window's
    // label filter, without the page's own filters; shows the page.
    void showCallsIn(qint64 fromMs, qint64 toMs);
    // Applies a search at once (empty clears it); false with an inline error
    // when the query has a mistake.
    bool setSearchText(const QString &text);
    void filterBySameTrace(const QString &traceId);
    void filterBySameSession(const QString &sessionId);
    void clearCallFilters(); // trace and session
    void verifyChain();
    void copySelectedCall();
    void showSelectedInDashboard();
    void focusSearch();
    void selectRow(int row);

    AuditTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    AuditDetailView *detail() const { return m_detail; }
    AuditFilterBar *auditFilters() const { return m_filters; }
    FilterBar *labelFilters() const { return m_labels; }
    QLineEdit *searchEdit() const { return m_search; }
    QString searchError() const; // empty when the query parses
    ChainBanner *chainBanner() const { return m_banner; }
    QString chainStatus() const;
    const std::optional<VerifyReport> &lastVerifyReport() const { return m_verifyReport; }
    bool isVerifying() const { return m_verifyQuery.inFlight(); }
    bool isDetailLoading() const { return m_detailQuery.inFlight(); }
    QString statusText() const;
    std::optional<std::int64_t> totalCalls() const { return m_total; }
    QString callFilterText() const; // "Same trace: …", empty without one

protected:
    void refresh() override;
    void showEvent(QShowEvent *event) override;
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void syncStore();
    void reload();
    void reloadAfterIndexing();
    bool userIsReading() const;
    void refreshOptions();
    void countCalls();
    void sizeColumns();
    void onChunk(int added);
    void onCurrentRowChanged(int row);
    void loadDetail(std::int64_t rowId);
    void updateStatus();
    void markFiltersEdited();
    void parseSearch(bool apply);
    void setCallFilter(std::optional<std::string> traceId, std::optional<std::string> sessionId);

    AuditService *m_service = nullptr;
    AuditTableModel *m_model = nullptr;
    ChainBanner *m_banner = nullptr;
    FilterBar *m_labels = nullptr;
    AuditFilterBar *m_filters = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_searchError = nullptr;
    QLabel *m_callFilter = nullptr;
    QToolButton *m_clearCallFilter = nullptr;
    QLabel *m_chainStatus = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QSplitter *m_splitter = nullptr;
    QTableView *m_table = nullptr;
    AuditDetailView *m_detail = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_reload = nullptr;
    QTimer m_searchTimer;

    LatestQuery m_detailQuery;
    LatestQuery m_countQuery;
    LatestQuery m_verifyQuery;
    LatestQuery m_indexQuery;
    LatestQuery m_optionsQuery;
    FilterOptions m_options;

    QString m_store;         // the store the service reads
    QString m_verifiedStore; // the store the chain was checked for
    std::optional<VerifyReport> m_verifyReport;
    std::optional<SearchQuery> m_searchQuery;
    QString m_searchApplied;
    std::optional<std::string> m_traceId;
    std::optional<std::string> m_sessionId;
    TimeRange m_appliedRange;
    bool m_filtersEdited = true;    // something other than the clock changed since the last reload
    bool m_dataArrived = false;     // new calls were committed since the last refresh
    bool m_clockMoved = false;      // the sliding window moved on since the last refresh
    bool m_indexFresh = false;      // the search index caught up since data last arrived
    bool m_awaitingFirstChunk = false;
    bool m_copyWhenLoaded = false;
    bool m_columnsSized = false;
    std::optional<std::int64_t> m_total;
    std::optional<std::int64_t> m_selectedRowId;
};

} // namespace vigil::ui
