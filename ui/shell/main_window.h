#pragma once

#include "charts/chart_marker.h"
#include "query/latest_query.h"
#include "store/store_error_dialog.h"
#include "store/store_opener.h"
#include "util/theme.h"

#include <QMainWindow>
#include <QTimer>

#include <map>
#include <optional>

class QActionGroup;
class QDockWidget;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace vigil::ui {

class ConsoleContext;
class DashboardPage;
class DemoBuilder;
class IngestController;
class IngestJobsPanel;
class IngestSummaryDialog;
class OverviewPage;
class Page;
class RangeBar;
class StartPanel;
class StatusFields;

// The console's shell: pages (each its own class) behind a navigation list,
// menus, toolbar and status bar, opening stores and running ingests. Thin on
// purpose: what is shown lives in the pages, what is computed in query/.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ConsoleContext &context() const { return *m_context; }
    IngestController &ingest() const;

    // Pages. Overview and Dashboard are added by the constructor; later pages
    // (Alerts, Audit, Prompts, Evals) register here and get a navigation
    // entry and Ctrl+<n>.
    void addPage(Page *page);
    QList<Page *> pages() const { return m_pages; }
    Page *page(const QString &pageId) const;
    Page *currentPage() const;
    void showPage(const QString &pageId);
    OverviewPage *overview() const { return m_overview; }
    DashboardPage *dashboard() const { return m_dashboard; }
    // Vertical markers at these instants on every time chart of every page.
    void setChartMarkers(const QList<ChartMarker> &markers);
    // The markers of one source ("prompts", "alerts"), merged with the others'.
    void setChartMarkers(const QString &source, const QList<ChartMarker> &markers);

    // Opening a store runs off the UI thread; storeOpened or storeOpenFailed
    // follows. A failure shows the store error dialog (non-modal).
    void openStore(const QString &path, OpenMode mode = OpenMode::Existing);
    // Builds the demo store (the default demo path when empty) and opens it.
    void openDemoStore(const QString &path = {});
    bool isOpening() const;
    StoreErrorDialog *storeErrorDialog() const { return m_errorDialog; }
    StartPanel *startPanel() const { return m_start; }
    StatusFields *statusFields() const { return m_statusFields; }
    RangeBar *rangeBar() const { return m_rangeBar; }
    IngestJobsPanel *ingestJobsPanel() const { return m_jobsPanel; }

    // Files named before a store is open are ingested once it is.
    void ingestFiles(const QStringList &files);
    void followFile(const QString &file);
    void setShowIngestSummaries(bool show) { m_showSummaries = show; }
    void showIngestSummary(int jobId);
    void showQuarantine();

    // Remember window state, page, range, theme and the last store with QSettings.
    void restoreSettings();
    static QString lastStoreFromSettings();
    void setTheme(ThemeMode mode);
    ThemeMode theme() const { return m_theme; }

Q_SIGNALS:
    void storeOpened(const QString &path);
    void storeOpenFailed(const vigil::ui::StoreOpenFailure &failure);
    void ingestSummaryShown(vigil::ui::IngestSummaryDialog *dialog);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // main_window_actions.cpp
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void updateActions();
    void chooseStore();
    void chooseNewStore();
    void chooseLogFiles();
    void chooseFollowFile();
    void showShortcuts();
    void showAbout();

    // main_window.cpp
    void adoptStore(const OpenedStore &store);
    void showStoreFailure(const StoreOpenFailure &failure);
    void onFailureChoice(StoreErrorDialog::Choice choice, const StoreOpenFailure &failure);
    void pollStatus();
    void onJobFinished(int id);
    void saveSettings();

    ConsoleContext *m_context = nullptr;
    QStackedWidget *m_center = nullptr;
    StartPanel *m_start = nullptr;
    QWidget *m_pagesArea = nullptr;
    QListWidget *m_nav = nullptr;
    QStackedWidget *m_pageStack = nullptr;
    QList<Page *> m_pages;
    OverviewPage *m_overview = nullptr;
    DashboardPage *m_dashboard = nullptr;
    RangeBar *m_rangeBar = nullptr;
    StatusFields *m_statusFields = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    IngestJobsPanel *m_jobsPanel = nullptr;
    DemoBuilder *m_demo = nullptr;
    StoreErrorDialog *m_errorDialog = nullptr;
    QList<ChartMarker> m_markers;
    std::map<QString, QList<ChartMarker>> m_markersBySource;

    std::uint64_t m_openGeneration = 0;
    bool m_opening = false;
    QStringList m_pendingFiles;
    QStringList m_pendingFollows;

    QTimer m_statusTimer;
    QTimer m_clockTimer;
    LatestQuery m_statusQuery;
    std::optional<std::int64_t> m_lastCommitSeen;
    bool m_statusSeen = false;
    std::int64_t m_records = 0;
    bool m_countDue = true;
    qint64 m_lastCountMs = 0;

    bool m_showSummaries = true;
    bool m_rememberSettings = false;
    ThemeMode m_theme = ThemeMode::System;

    // Actions, built in main_window_actions.cpp.
    QMenu *m_goMenu = nullptr;
    QList<QAction *> m_pageActions;
    QAction *m_openStoreAction = nullptr;
    QAction *m_newStoreAction = nullptr;
    QAction *m_demoAction = nullptr;
    QAction *m_openLogsAction = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_cancelIngestAction = nullptr;
    QAction *m_quarantineAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_backAction = nullptr;
    QAction *m_customRangeAction = nullptr;
    QAction *m_focusFiltersAction = nullptr;
    QAction *m_clearFiltersAction = nullptr;
    QAction *m_jobsAction = nullptr;
    QAction *m_quitAction = nullptr;
    std::map<int, QAction *> m_rangeActions; // by RangePreset
    QActionGroup *m_themeGroup = nullptr;
};

} // namespace vigil::ui
