#include "shell/main_window.h"

#include "audit/audit_page.h"
#include "alerts/alerts_page.h"
#include "alerts/install_alert_pages.h"
#include "ingest/ingest_controller.h"
#include "ingest/ingest_jobs_panel.h"
#include "ingest/ingest_status_widget.h"
#include "ingest/ingest_summary_dialog.h"
#include "ingest/quarantine_dialog.h"
#include "pages/dashboard_page.h"
#include "pages/overview_page.h"
#include "prompts/install_prompts_page.h"
#include "prompts/prompts_page.h"
#include "shell/console_context.h"
#include "shell/range_bar.h"
#include "shell/start_panel.h"
#include "shell/status_fields.h"
#include "store/demo_builder.h"
#include "util/settings.h"

#include "store/write_queue.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QGuiApplication>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThreadPool>
#include <QtConcurrent>

namespace vigil::ui {

namespace {
constexpr int kStatusPollMs = 3000; // "is new data there?": cheap, on a worker
constexpr int kClockTickMs = 10'000; // sliding windows move on
constexpr qint64 kRecountMinMs = 15'000; // counting every record scans an index

void releaseInBackground(std::shared_ptr<WriteQueue> writer)
{
    if (writer)
        QThreadPool::globalInstance()->start([w = std::move(writer)]() mutable { w.reset(); });
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_context(new ConsoleContext(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Vigil"));
    setWindowIcon(QIcon(QStringLiteral(":/vigil/icons/dev.vigil.Vigil.svg")));
    setAcceptDrops(true);
    m_demo = new DemoBuilder(this);

    m_start = new StartPanel(this);
    m_nav = new QListWidget(this);
    m_nav->setObjectName(QStringLiteral("pageNavigation"));
    m_nav->setFixedWidth(150);
    m_nav->setIconSize(QSize(22, 22));
    m_nav->setSpacing(2);
    m_pageStack = new QStackedWidget(this);
    m_pagesArea = new QWidget(this);
    auto *pagesLayout = new QHBoxLayout(m_pagesArea);
    pagesLayout->setContentsMargins(0, 0, 0, 0);
    pagesLayout->setSpacing(0);
    pagesLayout->addWidget(m_nav);
    pagesLayout->addWidget(m_pageStack, 1);
    m_center = new QStackedWidget(this);
    m_center->addWidget(m_start);
    m_center->addWidget(m_pagesArea);
    setCentralWidget(m_center);
    connect(m_nav, &QListWidget::currentRowChanged, m_pageStack, &QStackedWidget::setCurrentIndex);

    m_statusFields = new StatusFields(statusBar(), ingest());
    m_jobsPanel = new IngestJobsPanel(ingest(), this);
    m_jobsDock = new QDockWidget(tr("Ingest jobs"), this);
    m_jobsDock->setObjectName(QStringLiteral("ingestJobsDock"));
    m_jobsDock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobsDock);
    m_jobsDock->hide();
    connect(m_jobsPanel, &IngestJobsPanel::summaryRequested, this, &MainWindow::showIngestSummary);
    connect(m_statusFields->ingestWidget(), &IngestStatusWidget::showJobsRequested, this, [this] {
        m_jobsDock->show();
        m_jobsDock->raise();
    });

    buildActions();
    buildMenus();
    buildToolBar();

    m_overview = new OverviewPage(*m_context, this);
    m_dashboard = new DashboardPage(*m_context, this);
    addPage(m_overview);
    addPage(m_dashboard);
    installAlertPages(*this);
    auto *audit = new AuditPage(*m_context, this);
    addPage(audit);
    connect(m_dashboard, &DashboardPage::callsRequested, audit, &AuditPage::showCallsIn);
    PromptsPage *prompts = installPromptsPage(*this);
    // A prompt_regression alert offers its rollback: the Prompts page's own
    // confirm dialog (diff, reason), planned on its worker like Ctrl+Shift+R.
    if (auto *alerts = qobject_cast<AlertsPage *>(page(QStringLiteral("alerts"))))
        connect(alerts, &AlertsPage::rollbackRequested, prompts, [this, prompts](const QString &prompt) {
            showPage(prompts->pageId());
            prompts->selectPrompt(prompt);
            prompts->requestRollback(prompt);
        });

    connect(m_context, &ConsoleContext::pageRequested, this, &MainWindow::showPage);
    connect(&ingest(), &IngestController::jobFinished, this, &MainWindow::onJobFinished);
    connect(&ingest(), &IngestController::dataCommitted, this, [this] {
        m_countDue = true;
        m_context->notifyDataArrived();
    });
    connect(&ingest(), &IngestController::busyChanged, this, &MainWindow::updateActions);
    connect(&ingest(), &IngestController::refused, this,
            [this](const QString &reason) { statusBar()->showMessage(reason, 8000); });
    connect(m_demo, &DemoBuilder::progress, this, [this](int percent, qint64 records) {
        m_start->showBusy(percent < 0 ? tr("Generating a day of traffic for the demo store…")
                                      : tr("Ingesting the demo day: %1 records").arg(records),
                          percent);
    });
    connect(m_demo, &DemoBuilder::finished, this,
            [this](bool ok, const QString &path, const QString &error, qint64, qint64 quarantined) {
                if (ok) {
                    statusBar()->showMessage(tr("Demo store built; %1 malformed demo lines were quarantined, as "
                                                "they should be.").arg(quarantined), 10'000);
                    openStore(path, OpenMode::Existing);
                    return;
                }
                m_opening = false;
                showStoreFailure({path, StoreErrorKind::NotWritable, error});
            });
    connect(m_start, &StartPanel::openStoreRequested, this, &MainWindow::chooseStore);
    connect(m_start, &StartPanel::demoRequested, this, [this] { openDemoStore(); });
    connect(m_start, &StartPanel::cancelRequested, this, [this] {
        m_demo->cancel();
        ++m_openGeneration; // an open still running is dropped when it lands
        m_opening = false;
        m_start->showIdle(tr("Cancelled. No store is open."));
        updateActions();
    });

    m_statusTimer.setInterval(kStatusPollMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::pollStatus);
    m_statusTimer.start();
    m_clockTimer.setInterval(kClockTickMs);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] {
        if (!m_context->pinnedNow())
            m_context->tick();
    });
    m_clockTimer.start();

    if (const QScreen *screen = QGuiApplication::primaryScreen()) {
        const QRect free = screen->availableGeometry();
        resize(std::min(free.width(), 1600), std::min(free.height(), 1000));
        move(free.topLeft());
    }
    updateActions();
}

MainWindow::~MainWindow()
{
    m_statusTimer.stop();
    m_clockTimer.stop();
    m_statusQuery.cancel();
    // The pages go first: they cancel their queries as they go, so the query
    // service (with the context, next) does not wait for answers nobody wants.
    delete takeCentralWidget();
}

IngestController &MainWindow::ingest() const
{
    return m_context->ingest();
}

void MainWindow::addPage(Page *page)
{
    m_pages << page;
    m_pageStack->addWidget(page);
    auto *item = new QListWidgetItem(page->icon(), page->title(), m_nav);
    item->setSizeHint(QSize(140, 36));
    const int number = static_cast<int>(m_pages.size());
    auto *action = new QAction(page->icon(), page->title(), this);
    if (number <= 9)
        action->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(number)));
    action->setToolTip(tr("%1 (%2)").arg(page->title(), action->shortcut().toString(QKeySequence::NativeText)));
    item->setToolTip(action->toolTip());
    connect(action, &QAction::triggered, this, [this, id = page->pageId()] { showPage(id); });
    addAction(action); // the shortcut works wherever the focus is
    m_pageActions << action;
    if (m_goMenu)
        m_goMenu->addAction(action);
    if (auto *overview = qobject_cast<OverviewPage *>(page))
        overview->setMarkers(m_markers);
    if (m_nav->currentRow() < 0)
        m_nav->setCurrentRow(0);
}

Page *MainWindow::page(const QString &pageId) const
{
    for (Page *p : m_pages) {
        if (p->pageId() == pageId)
            return p;
    }
    return nullptr;
}

Page *MainWindow::currentPage() const
{
    return qobject_cast<Page *>(m_pageStack->currentWidget());
}

void MainWindow::showPage(const QString &pageId)
{
    for (int i = 0; i < m_pages.size(); ++i) {
        if (m_pages.at(i)->pageId() == pageId) {
            m_nav->setCurrentRow(i);
            return;
        }
    }
}

void MainWindow::setChartMarkers(const QList<ChartMarker> &markers)
{
    m_markers = markers;
    m_overview->setMarkers(markers);
    m_dashboard->setMarkers(markers);
}

void MainWindow::setChartMarkers(const QString &source, const QList<ChartMarker> &markers)
{
    m_markersBySource[source] = markers;
    QList<ChartMarker> all;
    for (const auto &[name, some] : m_markersBySource)
        all += some;
    setChartMarkers(all);
}

bool MainWindow::isOpening() const
{
    return m_opening;
}

void MainWindow::openStore(const QString &path, OpenMode mode)
{
    const std::uint64_t generation = ++m_openGeneration;
    m_opening = true;
    if (m_errorDialog)
        m_errorDialog->close();
    // The running ingests write into the store being left: stop them.
    ingest().cancelAll();
    ingest().setWriter(nullptr, QString());
    m_context->clearStore();
    m_statusFields->setStore({}, false);
    m_statusQuery.cancel();
    m_start->showBusy(tr("Opening %1…").arg(path));
    m_center->setCurrentWidget(m_start);
    updateActions();
    auto *watcher = new QFutureWatcher<StoreOpenResult>(this);
    connect(watcher, &QFutureWatcher<StoreOpenResult>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        StoreOpenResult result = watcher->result();
        if (generation != m_openGeneration) {
            if (result.store)
                releaseInBackground(std::move(result.store->writer));
            return;
        }
        m_opening = false;
        if (result.ok())
            adoptStore(*result.store);
        else
            showStoreFailure(*result.failure);
    });
    watcher->setFuture(QtConcurrent::run(&vigil::ui::openStore, path, mode));
}

void MainWindow::openDemoStore(const QString &path)
{
    const QString target = path.isEmpty() ? defaultDemoStorePath() : path;
    ++m_openGeneration;
    m_opening = true;
    if (m_errorDialog)
        m_errorDialog->close();
    ingest().cancelAll();
    ingest().setWriter(nullptr, QString());
    m_context->clearStore();
    m_statusFields->setStore({}, false);
    m_start->showBusy(tr("Generating a day of traffic for the demo store…"));
    m_center->setCurrentWidget(m_start);
    updateActions();
    m_demo->start(target, m_context->nowMs());
}

void MainWindow::adoptStore(const OpenedStore &store)
{
    ingest().setWriter(store.writer, store.path);
    m_context->setStore(store.path, store.readOnly);
    m_statusFields->setStore(store.path, store.readOnly, store.readOnlyReason);
    m_lastCommitSeen.reset();
    m_statusSeen = false;
    m_countDue = true;
    m_center->setCurrentWidget(m_pagesArea);
    setWindowTitle(tr("Vigil — %1").arg(QFileInfo(store.path).fileName()));
    if (m_rememberSettings)
        openSettings()->setValue(QLatin1String(settings_keys::kLastStore), store.path);
    updateActions();
    pollStatus();
    Q_EMIT storeOpened(store.path);
    const QStringList files = std::exchange(m_pendingFiles, {});
    if (!files.isEmpty())
        ingestFiles(files);
    for (const QString &f : std::exchange(m_pendingFollows, {}))
        followFile(f);
}

void MainWindow::showStoreFailure(const StoreOpenFailure &failure)
{
    m_start->showIdle(describeStoreFailure(failure).title + QLatin1Char('.'));
    m_center->setCurrentWidget(m_start);
    updateActions();
    Q_EMIT storeOpenFailed(failure);
    if (m_errorDialog)
        m_errorDialog->close();
    m_errorDialog = new StoreErrorDialog(failure, this);
    m_errorDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_errorDialog, &StoreErrorDialog::chosen, this,
            [this, failure](StoreErrorDialog::Choice choice) { onFailureChoice(choice, failure); });
    m_errorDialog->open();
}

void MainWindow::onFailureChoice(StoreErrorDialog::Choice choice, const StoreOpenFailure &failure)
{
    switch (choice) {
    case StoreErrorDialog::Choice::ChooseAnother: chooseStore(); break;
    case StoreErrorDialog::Choice::CreateHere: openStore(failure.path, OpenMode::CreateIfMissing); break;
    case StoreErrorDialog::Choice::OpenDemo: openDemoStore(); break;
    case StoreErrorDialog::Choice::Quit: close(); break;
    }
}

void MainWindow::ingestFiles(const QStringList &files)
{
    if (files.isEmpty())
        return;
    if (!m_context->hasStore()) {
        m_pendingFiles << files;
        return;
    }
    ingest().ingest(files);
}

void MainWindow::followFile(const QString &file)
{
    if (!m_context->hasStore()) {
        m_pendingFollows << file;
        return;
    }
    ingest().follow(file);
}

void MainWindow::onJobFinished(int id)
{
    m_countDue = true;
    m_context->notifyDataArrived();
    const IngestJob *job = ingest().job(id);
    if (!job)
        return;
    statusBar()->showMessage(job->statusText(), 10'000);
    if (m_showSummaries && (job->state != IngestState::Cancelled || job->summary.records > 0))
        showIngestSummary(id);
}

void MainWindow::showIngestSummary(int jobId)
{
    const IngestJob *job = ingest().job(jobId);
    if (!job)
        return;
    auto *dialog = new IngestSummaryDialog(*job, ingest().storePath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    Q_EMIT ingestSummaryShown(dialog);
}

void MainWindow::showQuarantine()
{
    if (!m_context->hasStore())
        return;
    auto *dialog = new QuarantineDialog(m_context->storePath(), {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::pollStatus()
{
    if (!m_context->hasStore() || m_statusQuery.inFlight())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool count = m_countDue && now - m_lastCountMs >= kRecountMinMs;
    const std::int64_t known = m_records;
    const LatestQuery::Ticket ticket = m_statusQuery.next();
    m_context->queries().run<StoreStatus>(
        this, ticket.cancel,
        [count, known](MetricsReader &reader, const std::atomic<bool> &) { return readStoreStatus(reader, count, known); },
        [this, count, now, generation = ticket.generation](StoreStatus status) {
            if (!m_statusQuery.accept(generation))
                return;
            if (count) {
                m_countDue = false;
                m_lastCountMs = now;
            }
            m_records = status.records;
            const bool arrived = m_statusSeen && status.lastCommitMs != m_lastCommitSeen;
            if (status.lastCommitMs != m_lastCommitSeen)
                m_countDue = true;
            m_lastCommitSeen = status.lastCommitMs;
            m_statusSeen = true;
            m_statusFields->setStatus(status, m_context->nowMs());
            if (arrived)
                m_context->notifyDataArrived(); // written by another process (vigilctl ingest, serve)
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (m_statusQuery.accept(generation))
                statusBar()->showMessage(tr("The store could not be read: %1").arg(failure.message), 8000);
        });
}

void MainWindow::restoreSettings()
{
    m_rememberSettings = true;
    const auto settings = openSettings();
    restoreGeometry(settings->value(QLatin1String(settings_keys::kGeometry)).toByteArray());
    restoreState(settings->value(QLatin1String(settings_keys::kWindowState)).toByteArray());
    setTheme(themeModeFromKey(settings->value(QLatin1String(settings_keys::kTheme)).toString()));
    const RangePreset preset =
        presetFromKey(settings->value(QLatin1String(settings_keys::kRange)).toString(), RangePreset::Last1h);
    m_context->setRange(TimeRange::sliding(preset));
    if (const QString pageId = settings->value(QLatin1String(settings_keys::kPage)).toString(); !pageId.isEmpty())
        showPage(pageId);
}

QString MainWindow::lastStoreFromSettings()
{
    return openSettings()->value(QLatin1String(settings_keys::kLastStore)).toString();
}

void MainWindow::saveSettings()
{
    if (!m_rememberSettings)
        return;
    const auto settings = openSettings();
    settings->setValue(QLatin1String(settings_keys::kGeometry), saveGeometry());
    settings->setValue(QLatin1String(settings_keys::kWindowState), saveState());
    settings->setValue(QLatin1String(settings_keys::kTheme), themeModeKey(m_theme));
    // A zoomed-in custom range means nothing next time: keep the last preset.
    if (!m_context->range().isCustom())
        settings->setValue(QLatin1String(settings_keys::kRange), presetKey(m_context->range().preset()));
    if (Page *p = currentPage())
        settings->setValue(QLatin1String(settings_keys::kPage), p->pageId());
}

void MainWindow::setTheme(ThemeMode mode)
{
    m_theme = mode;
    applyTheme(mode);
    if (m_themeGroup) {
        for (QAction *a : m_themeGroup->actions())
            a->setChecked(a->data().toString() == themeModeKey(mode));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    ingest().cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls()) {
        for (const QUrl &url : mime->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
    QMainWindow::dragEnterEvent(event);
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files << url.toLocalFile();
    }
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    ingestFiles(files);
}

} // namespace vigil::ui
