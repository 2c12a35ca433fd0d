#include "audit/audit_page.h"

#include "audit/audit_detail_view.h"
#include "audit/audit_filter_bar.h"
#include "audit/audit_service.h"
#include "audit/audit_table_model.h"
#include "audit/chain_banner.h"
#include "audit/snippet_delegate.h"
#include "pages/filter_bar.h"
#include "shell/console_context.h"
#include "util/format.h"

#include "store/fts_indexer.h"

#include <array>

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
constexpr int kSearchPauseMs = 400; // a search runs when typing pauses
} // namespace

AuditPage::AuditPage(ConsoleContext &context, QWidget *parent) : Page(context, parent)
{
    setObjectName(QStringLiteral("auditPage"));
    m_service = new AuditService(this);
    m_model = new AuditTableModel(*m_service, this);

    m_banner = new ChainBanner(this);
    m_labels = new FilterBar(this);
    m_filters = new AuditFilterBar(this);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("auditSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search input, output and retrieval context: words, \"a phrase\", prefix*, "
                                    "AND, OR, NOT, -word (Ctrl+F)"));
    m_searchError = new QLabel(this);
    m_searchError->setObjectName(QStringLiteral("auditSearchError"));
    m_searchError->setStyleSheet(QStringLiteral("QLabel { color: #d93b3b; font-weight: bold; }"));
    m_searchError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_searchError->hide();
    m_callFilter = new QLabel(this);
    m_callFilter->setObjectName(QStringLiteral("auditCallFilter"));
    m_clearCallFilter = new QToolButton(this);
    m_clearCallFilter->setText(tr("Show all calls"));
    m_clearCallFilter->setToolTip(tr("Leave the trace or session and show every call again"));
    m_callFilter->hide();
    m_clearCallFilter->hide();
    m_chainStatus = new QLabel(this);
    m_chainStatus->setObjectName(QStringLiteral("auditChainStatus"));
    m_chainStatus->setForegroundRole(QPalette::PlaceholderText);
    m_verifyButton = new QPushButton(tr("Verify chain"), this);
    m_verifyButton->setToolTip(tr("Recompute the store's hash chain and say whether any call was changed, deleted "
                                  "or reordered since it was committed"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(AuditTableModel::Time, Qt::DescendingOrder);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setItemDelegateForColumn(AuditTableModel::Snippet, new SnippetDelegate(m_table));
    m_table->setColumnHidden(AuditTableModel::Snippet, true);
    // While searching, the match is what the reader looks at first: next to the time.
    m_table->horizontalHeader()->moveSection(m_table->horizontalHeader()->visualIndex(AuditTableModel::Snippet), 1);
    m_table->installEventFilter(this);
    // Only time, latency and cost can be sorted by the store: a click on
    // another header leaves the order (and its arrow) as it was.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int section) {
        if (section == AuditTableModel::Time || section == AuditTableModel::Latency || section == AuditTableModel::Cost)
            return;
        const AuditSort sort = m_model->sortOrder();
        const bool descending = sort == AuditSort::TimeDesc || sort == AuditSort::LatencyDesc || sort == AuditSort::CostDesc;
        const QSignalBlocker blocker(m_table->horizontalHeader());
        m_table->horizontalHeader()->setSortIndicator(AuditTableModel::sortColumn(sort),
                                                      descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    });

    m_detail = new AuditDetailView(this);
    // The table over the detail: eleven columns want the page's whole width.
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("auditSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({450, 550}); // scaled to the page's height

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_reload = new QPushButton(tr("Show newer calls"), this);
    m_reload->setObjectName(QStringLiteral("auditShowNewer"));
    m_reload->setToolTip(tr("New calls may have arrived; the table stays still while you read it"));
    m_reload->hide();

    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_filters);
    auto *infoRow = new QHBoxLayout;
    infoRow->addWidget(m_searchError);
    infoRow->addWidget(m_callFilter);
    infoRow->addWidget(m_clearCallFilter);
    infoRow->addStretch();
    infoRow->addWidget(m_chainStatus);
    infoRow->addWidget(m_verifyButton);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_reload);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(6);
    layout->addWidget(m_banner);
    layout->addWidget(m_labels);
    layout->addLayout(searchRow);
    layout->addLayout(infoRow);
    layout->addWidget(m_splitter, 1);
    layout->addLayout(statusRow);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(kSearchPauseMs);
    connect(&m_searchTimer, &QTimer::timeout, this, [this] { parseSearch(true); });
    connect(m_search, &QLineEdit::textEdited, this, [this] {
        parseSearch(false); // a mistake shows as it is typed
        m_searchTimer.start();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchTimer.stop();
        parseSearch(true);
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty() && !m_searchApplied.isEmpty()) { // the clear button
            m_searchTimer.stop();
            parseSearch(true);
        }
    });
    connect(m_filters, &AuditFilterBar::filterEdited, this, &AuditPage::markFiltersEdited);
    connect(m_labels, &FilterBar::filterEdited, this, [this](const LabelFilter &f) { this->context().setFilter(f); });
    connect(&context, &ConsoleContext::filterChanged, this, [this] {
        m_labels->setFilter(this->context().filter());
        m_filtersEdited = true;
        if (isVisible())
            refreshNow();
        else
            refreshSoon();
    });
    connect(&context, &ConsoleContext::storeChanged, this, [this] {
        syncStore();
        m_options = {};
        m_labels->setOptions({});
    });
    connect(&context, &ConsoleContext::dataArrived, this, [this] {
        m_dataArrived = true;
        m_indexFresh = false;
    });
    connect(&context, &ConsoleContext::ticked, this, [this] { m_clockMoved = true; });
    connect(m_clearCallFilter, &QToolButton::clicked, this, &AuditPage::clearCallFilters);
    connect(m_verifyButton, &QPushButton::clicked, this, &AuditPage::verifyChain);
    connect(m_reload, &QPushButton::clicked, this, [this] {
        m_filtersEdited = true;
        refreshNow();
    });
    connect(m_model, &AuditTableModel::chunkLoaded, this, &AuditPage::onChunk);
    connect(m_model, &AuditTableModel::fetchStarted, this, [this] {
        if (!m_awaitingFirstChunk)
            updateStatus(); // "loading more…"
    });
    connect(m_model, &AuditTableModel::failed, this, [this] {
        updateStatus();
        if (std::exchange(m_awaitingFirstChunk, false))
            refreshed();
    });
    connect(m_model, &AuditTableModel::modelReset, this, [this] {
        m_detailQuery.cancel();
        if (!m_selectedRowId)
            m_detail->showPlaceholder(tr("Select a call to read its conversation, output, retrieval context and action."));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current.row()); });
    connect(m_detail, &AuditDetailView::copyRequested, this, &AuditPage::copySelectedCall);
    connect(m_detail, &AuditDetailView::showInDashboardRequested, this, &AuditPage::showSelectedInDashboard);
    connect(m_detail, &AuditDetailView::sameTraceRequested, this, &AuditPage::filterBySameTrace);
    connect(m_detail, &AuditDetailView::sameSessionRequested, this, &AuditPage::filterBySameSession);
    m_labels->setFilter(context.filter());
    setFocusProxy(m_table);
    updateStatus();
}

AuditPage::~AuditPage()
{
    // Stop a long verify or index pass now rather than wait for it.
    m_verifyQuery.cancel();
    m_indexQuery.cancel();
}

QIcon AuditPage::icon() const
{
    return style()->standardIcon(QStyle::SP_FileDialogDetailedView);
}

bool AuditPage::isLoading() const
{
    return m_awaitingFirstChunk || m_indexQuery.inFlight() || m_optionsQuery.inFlight();
}

void AuditPage::syncStore()
{
    if (m_store == context().storePath())
        return;
    m_store = context().storePath();
    m_service->setStorePath(m_store);
    m_detailQuery.cancel();
    m_countQuery.cancel();
    m_verifyQuery.cancel();
    m_indexQuery.cancel();
    m_verifiedStore.clear();
    m_verifyReport.reset();
    m_banner->showReport({});
    m_chainStatus->clear();
    m_indexFresh = false;
    m_selectedRowId.reset();
    m_filtersEdited = true;
    m_awaitingFirstChunk = false;
    m_model->clear();
    m_detail->showPlaceholder(m_store.isEmpty() ? tr("No store is open.")
                                                : tr("Select a call to read its conversation, output, retrieval context and action."));
    updateStatus();
}

void AuditPage::refresh()
{
    syncStore();
    if (m_verifiedStore != m_store)
        verifyChain(); // once per store, off the UI thread
    refreshOptions();
    const bool sameQuery = !m_filtersEdited && m_model->hasFilter() && m_appliedRange == context().range();
    const bool dataArrived = std::exchange(m_dataArrived, false);
    const bool clockMoved = std::exchange(m_clockMoved, false);
    if (sameQuery && (dataArrived || clockMoved)) {
        // Only the clock moved: the rows shown are still the newest ones.
        // New calls arrived: do not pull the rows from under a reader, offer them.
        if (!dataArrived || userIsReading()) {
            if (dataArrived)
                m_reload->show();
            refreshed();
            return;
        }
    }
    if (m_searchQuery && !m_indexFresh && !context().readOnly()) {
        reloadAfterIndexing();
        return;
    }
    reload();
}

bool AuditPage::userIsReading() const
{
    return m_selectedRowId.has_value() || m_table->verticalScrollBar()->value() > 0;
}

void AuditPage::markFiltersEdited()
{
    m_filtersEdited = true;
    if (isVisible())
        refreshNow();
    else
        refreshSoon();
}

void AuditPage::reload()
{
    AuditFilter filter;
    filter.window = context().range().resolve(context().nowMs());
    filter.labels = context().filter();
    m_filters->applyTo(filter);
    filter.traceId = m_traceId;
    filter.sessionId = m_sessionId;
    filter.search = m_searchQuery;
    m_appliedRange = context().range();
    m_filtersEdited = false;
    m_reload->hide();
    m_total.reset();
    m_countQuery.cancel();
    if (filter.search && m_table->isColumnHidden(AuditTableModel::Snippet)) {
        m_table->setColumnHidden(AuditTableModel::Snippet, false);
        m_table->setColumnWidth(AuditTableModel::Snippet, m_table->fontMetrics().averageCharWidth() * 55);
    }
    m_table->setColumnHidden(AuditTableModel::Snippet, !filter.search);
    m_awaitingFirstChunk = true;
    m_model->setFilter(filter);
    updateStatus();
}

void AuditPage::reloadAfterIndexing()
{
    // The index is filled by a follow-up pass: bring it up to date with what
    // was committed before searching, so a search never misses new calls.
    const LatestQuery::Ticket ticket = m_indexQuery.next();
    m_status->setText(tr("Bringing the search index up to date…"));
    m_service->background<std::int64_t>(
        this, ticket.cancel,
        [](const std::string &path, const std::atomic<bool> &cancel) {
            FtsIndexer indexer(path);
            return indexer.catchUp(&cancel);
        },
        [this, generation = ticket.generation](std::int64_t) {
            if (!m_indexQuery.accept(generation))
                return;
            m_indexFresh = true;
            reload();
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (!m_indexQuery.accept(generation))
                return;
            // Search what is indexed rather than nothing.
            m_indexFresh = true;
            reload();
            m_status->setText(tr("The search index could not be brought up to date (%1); newer calls may be missing.")
                                  .arg(failure.message));
        });
}

void AuditPage::refreshOptions()
{
    if (m_optionsQuery.inFlight())
        return;
    const LatestQuery::Ticket ticket = m_optionsQuery.next();
    context().queries().run<FilterOptions>(
        this, ticket.cancel,
        [](MetricsReader &reader, const std::atomic<bool> &) { return filterOptionsFrom(reader.labels()); },
        [this, generation = ticket.generation](FilterOptions options) {
            if (!m_optionsQuery.accept(generation))
                return;
            m_options = std::move(options);
            m_labels->setOptions(m_options);
        },
        [this, generation = ticket.generation](const QueryFailure &) { m_optionsQuery.accept(generation); });
}

void AuditPage::onChunk(int added)
{
    if (std::exchange(m_awaitingFirstChunk, false)) {
        if (added > 0 && !std::exchange(m_columnsSized, true))
            sizeColumns();
        if (m_selectedRowId) {
            const int row = m_model->rowOf(*m_selectedRowId);
            if (row >= 0)
                selectRow(row);
            else {
                m_selectedRowId.reset();
                m_detail->showPlaceholder(tr("Select a call to read its conversation, output, retrieval context and action."));
            }
        }
        countCalls();
        refreshed();
    }
    Q_UNUSED(added);
    updateStatus();
}

void AuditPage::sizeColumns()
{
    // Once, from the first rows; after that the widths are the user's.
    m_table->resizeColumnsToContents();
    const std::array<int, AuditTableModel::ColumnCount> widest = {0, 130, 100, 170, 170, 0, 0, 0, 0, 130, 0};
    for (int c = 0; c < AuditTableModel::ColumnCount; ++c) {
        const int cap = widest[static_cast<std::size_t>(c)];
        if (cap > 0 && m_table->columnWidth(c) > cap)
            m_table->setColumnWidth(c, cap);
    }
}

void AuditPage::countCalls()
{
    if (m_model->atEnd()) {
        m_total = m_model->rowCount();
        return;
    }
    const LatestQuery::Ticket ticket = m_countQuery.next();
    m_service->read<std::int64_t>(
        this, ticket.cancel,
        [filter = m_model->filter()](AuditReader &reader, const std::atomic<bool> &) { return reader.count(filter); },
        [this, generation = ticket.generation](std::int64_t total) {
            if (!m_countQuery.accept(generation))
                return;
            m_total = total;
            updateStatus();
        },
        [this, generation = ticket.generation](const QueryFailure &) { m_countQuery.accept(generation); });
}

void AuditPage::updateStatus()
{
    if (!context().hasStore()) {
        m_status->setText(tr("No store is open."));
        return;
    }
    if (!m_model->lastError().isEmpty()) {
        m_status->setText(tr("The store could not be read: %1").arg(m_model->lastError()));
        return;
    }
    const long long loaded = m_model->rowCount();
    if (m_awaitingFirstChunk) {
        m_status->setText(tr("Loading calls…"));
        return;
    }
    if (loaded == 0) {
        m_status->setText(m_searchQuery ? tr("No calls in %1 match the search and filters.").arg(context().range().label())
                                        : tr("No calls in %1 match the filters.").arg(context().range().label()));
        return;
    }
    QString text = m_model->atEnd() || (m_total && *m_total == loaded)
                       ? tr("%1 calls").arg(formatCount(loaded))
                       : m_total ? tr("%1 of %2 calls loaded").arg(formatCount(loaded), formatCount(*m_total))
                                 : tr("%1 calls loaded").arg(formatCount(loaded));
    text += QStringLiteral(" · ") + context().range().label();
    if (m_model->isFetching())
        text += QStringLiteral(" · ") + tr("loading more…");
    m_status->setText(text);
}

QString AuditPage::statusText() const
{
    return m_status->text();
}

void AuditPage::selectRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void AuditPage::onCurrentRowChanged(int row)
{
    const AuditRow *call = m_model->rowAt(row);
    if (!call)
        return; // a reset: the selection is restored when the rows are back
    m_selectedRowId = call->rowId;
    loadDetail(call->rowId);
}

void AuditPage::loadDetail(std::int64_t rowId)
{
    if (m_detail->call() && m_detail->call()->rowId == rowId && !m_detailQuery.inFlight()) {
        m_detail->showCall(*m_detail->call(), m_searchQuery); // the search may have changed
        return;
    }
    m_detail->showLoading();
    const LatestQuery::Ticket ticket = m_detailQuery.next();
    m_service->read<std::optional<AuditRow>>(
        this, ticket.cancel,
        [rowId](AuditReader &reader, const std::atomic<bool> &) { return reader.byRowId(rowId); },
        [this, generation = ticket.generation](std::optional<AuditRow> row) {
            if (!m_detailQuery.accept(generation))
                return;
            if (!row) {
                m_detail->showPlaceholder(tr("This call is no longer in the store (purged by retention)."));
                return;
            }
            m_detail->showCall(*row, m_searchQuery);
            if (std::exchange(m_copyWhenLoaded, false))
                copySelectedCall();
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (m_detailQuery.accept(generation))
                m_detail->showPlaceholder(tr("The call could not be read: %1").arg(failure.message));
        });
}

void AuditPage::parseSearch(bool apply)
{
    const QString text = m_search->text().trimmed();
    std::optional<SearchQuery> query;
    if (!text.isEmpty()) {
        SearchQueryError error;
        query = parseSearchQuery(text.toStdString(), error);
        if (!query) {
            m_searchError->setText(tr("Search: %1").arg(QString::fromStdString(error.text())));
            m_searchError->show();
            m_search->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #d93b3b; }"));
            if (apply) {
                // Point at the mistake (positions count from 1).
                m_search->setCursorPosition(static_cast<int>(error.position) - 1 +
                                            static_cast<int>(m_search->text().indexOf(text)));
            }
            return;
        }
    }
    m_searchError->clear();
    m_searchError->hide();
    m_search->setStyleSheet(QString());
    if (!apply || text == m_searchApplied)
        return;
    m_searchApplied = text;
    m_searchQuery = query;
    markFiltersEdited();
}

bool AuditPage::setSearchText(const QString &text)
{
    m_searchTimer.stop();
    m_search->setText(text);
    parseSearch(true);
    return searchError().isEmpty();
}

QString AuditPage::searchError() const
{
    return m_searchError->isHidden() ? QString() : m_searchError->text();
}

void AuditPage::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void AuditPage::setCallFilter(std::optional<std::string> traceId, std::optional<std::string> sessionId)
{
    m_traceId = std::move(traceId);
    m_sessionId = std::move(sessionId);
    const QString text = callFilterText();
    m_callFilter->setText(text);
    m_callFilter->setVisible(!text.isEmpty());
    m_clearCallFilter->setVisible(!text.isEmpty());
    markFiltersEdited();
}

QString AuditPage::callFilterText() const
{
    if (m_traceId)
        return tr("Calls of trace %1").arg(QString::fromStdString(*m_traceId));
    if (m_sessionId)
        return tr("Calls of session %1").arg(QString::fromStdString(*m_sessionId));
    return {};
}

void AuditPage::filterBySameTrace(const QString &traceId)
{
    if (!traceId.isEmpty())
        setCallFilter(traceId.toStdString(), std::nullopt);
}

void AuditPage::filterBySameSession(const QString &sessionId)
{
    if (!sessionId.isEmpty())
        setCallFilter(std::nullopt, sessionId.toStdString());
}

void AuditPage::clearCallFilters()
{
    setCallFilter(std::nullopt, std::nullopt);
}

void AuditPage::showCallsIn(qint64 fromMs, qint64 toMs)
{
    m_traceId.reset();
    m_sessionId.reset();
    m_callFilter->hide();
    m_clearCallFilter->hide();
    m_search->clear();
    m_searchApplied.clear();
    m_searchQuery.reset();
    m_searchError->hide();
    {
        const QSignalBlocker blocker(m_filters);
        m_filters->clear();
    }
    m_selectedRowId.reset();
    m_filtersEdited = true;
    context().setRange(TimeRange::custom(fromMs, toMs));
    context().requestPage(pageId());
    if (isVisible())
        refreshNow();
    else
        refreshSoon();
}

void AuditPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    // Keys go to the calls (Ctrl+F searches them, Ctrl+C copies one) once the page is up.
    QWidget *focus = QApplication::focusWidget();
    if (!focus || !isAncestorOf(focus))
        m_table->setFocus(Qt::OtherFocusReason);
}

bool AuditPage::event(QEvent *event)
{
    // The window's Ctrl+F picks the dashboard's filters; on this page it
    // searches the calls instead.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Find)) {
            event->accept();
            return true;
        }
    }
    return Page::event(event);
}

void AuditPage::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Find)) {
        focusSearch();
        event->accept();
        return;
    }
    Page::keyPressEvent(event);
}

bool AuditPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        const bool copy = key->matches(QKeySequence::Copy);
        if (event->type() == QEvent::ShortcutOverride) {
            if (copy) {
                event->accept(); // ours, not a window action's
                return true;
            }
            return false;
        }
        if (copy) {
            copySelectedCall();
            return true;
        }
        if (enter && m_table->currentIndex().isValid()) {
            m_detail->setFocus(Qt::OtherFocusReason);
            return true;
        }
    }
    return Page::eventFilter(watched, event);
}

} // namespace vigil::ui
