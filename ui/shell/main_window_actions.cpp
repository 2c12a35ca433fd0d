// The main window's actions, menus, toolbar and keyboard shortcuts.
#include "shell/main_window.h"

#include "ingest/ingest_controller.h"
#include "pages/dashboard_page.h"
#include "pages/page.h"
#include "shell/console_context.h"
#include "shell/range_bar.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {
QAction *makeAction(QObject *parent, const QString &text, const QKeySequence &shortcut, const QString &tip = {})
{
    auto *action = new QAction(text, parent);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    const QString keys = shortcut.toString(QKeySequence::NativeText);
    action->setToolTip(keys.isEmpty() ? (tip.isEmpty() ? text : tip)
                                      : QStringLiteral("%1 (%2)").arg(tip.isEmpty() ? QString(text).remove(QLatin1Char('&')) : tip, keys));
    return action;
}
} // namespace

void MainWindow::buildActions()
{
    QStyle *s = style();
    m_openStoreAction = makeAction(this, tr("&Open store…"), QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    m_openStoreAction->setIcon(s->standardIcon(QStyle::SP_DirOpenIcon));
    connect(m_openStoreAction, &QAction::triggered, this, &MainWindow::chooseStore);
    m_newStoreAction = makeAction(this, tr("&New store…"), QKeySequence(QStringLiteral("Ctrl+Shift+N")));
    connect(m_newStoreAction, &QAction::triggered, this, &MainWindow::chooseNewStore);
    m_demoAction = makeAction(this, tr("Build and open the &demo store"), {});
    connect(m_demoAction, &QAction::triggered, this, [this] { openDemoStore(); });

    m_openLogsAction = makeAction(this, tr("Open &log files…"), QKeySequence::Open,
                                  tr("Ingest NDJSON request logs (.ndjson, .jsonl, .gz)"));
    m_openLogsAction->setIcon(QIcon(QStringLiteral(":/vigil/icons/open-logs.svg")));
    m_openLogsAction->setIconText(tr("Open logs"));
    connect(m_openLogsAction, &QAction::triggered, this, &MainWindow::chooseLogFiles);
    m_followAction = makeAction(this, tr("&Follow file…"), QKeySequence(QStringLiteral("Ctrl+Shift+F")),
                                tr("Ingest a log as it grows, like tail -F"));
    m_followAction->setIcon(QIcon(QStringLiteral(":/vigil/icons/follow.svg")));
    m_followAction->setIconText(tr("Follow"));
    connect(m_followAction, &QAction::triggered, this, &MainWindow::chooseFollowFile);
    m_cancelIngestAction = makeAction(this, tr("&Cancel every ingest"), QKeySequence(QStringLiteral("Ctrl+.")));
    m_cancelIngestAction->setIcon(s->standardIcon(QStyle::SP_BrowserStop));
    connect(m_cancelIngestAction, &QAction::triggered, this, [this] { ingest().cancelAll(); });
    m_quarantineAction = makeAction(this, tr("&Quarantined lines…"), QKeySequence(QStringLiteral("Ctrl+Shift+Q")));
    connect(m_quarantineAction, &QAction::triggered, this, &MainWindow::showQuarantine);
    m_jobsAction = makeAction(this, tr("Ingest &jobs"), QKeySequence(QStringLiteral("Ctrl+J")));
    connect(m_jobsAction, &QAction::triggered, this, [this] {
        m_jobsDock->setVisible(!m_jobsDock->isVisible());
        if (m_jobsDock->isVisible())
            m_jobsDock->raise();
    });
    m_quitAction = makeAction(this, tr("&Quit"), QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_refreshAction = makeAction(this, tr("&Refresh"), QKeySequence::Refresh);
    m_refreshAction->setIcon(s->standardIcon(QStyle::SP_BrowserReload));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (Page *p = currentPage())
            p->refreshNow();
        pollStatus();
    });
    int number = 1;
    for (RangePreset preset : kSlidingPresets) {
        QAction *a = makeAction(this, TimeRange::sliding(preset).label(), QKeySequence(QStringLiteral("Alt+%1").arg(number++)));
        connect(a, &QAction::triggered, this, [this, preset] { m_context->setRange(TimeRange::sliding(preset)); });
        addAction(a);
        m_rangeActions.emplace(static_cast<int>(preset), a);
    }
    m_customRangeAction = makeAction(this, tr("Custom range…"), QKeySequence(QStringLiteral("Alt+6")));
    m_backAction = makeAction(this, tr("Back to the previous range"), QKeySequence(QStringLiteral("Alt+Left")));
    m_backAction->setIcon(s->standardIcon(QStyle::SP_ArrowBack));
    connect(m_backAction, &QAction::triggered, this, [this] { m_context->goBack(); });
    m_focusFiltersAction = makeAction(this, tr("Filter…"), QKeySequence::Find, tr("Pick a tenant, model, provider or prompt"));
    connect(m_focusFiltersAction, &QAction::triggered, this, [this] {
        showPage(m_dashboard->pageId());
        m_dashboard->focusFilters();
    });
    m_clearFiltersAction = makeAction(this, tr("Clear filters"), QKeySequence(QStringLiteral("Ctrl+Shift+X")));
    connect(m_clearFiltersAction, &QAction::triggered, this, [this] { m_context->setFilter({}); });
    for (QAction *a : {m_openStoreAction, m_newStoreAction, m_openLogsAction, m_followAction, m_cancelIngestAction,
                       m_quarantineAction, m_jobsAction, m_quitAction, m_refreshAction, m_customRangeAction,
                       m_backAction, m_focusFiltersAction, m_clearFiltersAction})
        addAction(a);
    connect(m_context, &ConsoleContext::rangeChanged, this, &MainWindow::updateActions);
    connect(m_context, &ConsoleContext::filterChanged, this, &MainWindow::updateActions);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openLogsAction);
    file->addAction(m_followAction);
    file->addAction(m_cancelIngestAction);
    file->addSeparator();
    file->addAction(m_openStoreAction);
    file->addAction(m_newStoreAction);
    file->addAction(m_demoAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_goMenu = view->addMenu(tr("&Go to page"));
    for (QAction *a : m_pageActions)
        m_goMenu->addAction(a);
    QMenu *range = view->addMenu(tr("Time &range"));
    for (const auto &[preset, action] : m_rangeActions)
        range->addAction(action);
    range->addAction(m_customRangeAction);
    range->addAction(m_backAction);
    view->addAction(m_focusFiltersAction);
    view->addAction(m_clearFiltersAction);
    view->addAction(m_refreshAction);
    view->addSeparator();
    view->addAction(m_quarantineAction);
    view->addAction(m_jobsAction);
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (ThemeMode mode : {ThemeMode::System, ThemeMode::Light, ThemeMode::Dark}) {
        const QString name = mode == ThemeMode::System ? tr("Follow the system")
                             : mode == ThemeMode::Light ? tr("Light")
                                                        : tr("Dark");
        QAction *a = theme->addAction(name);
        a->setCheckable(true);
        a->setData(themeModeKey(mode));
        a->setChecked(mode == m_theme);
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, mode] { setTheme(mode); });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"));
    keys->setShortcut(QKeySequence::HelpContents);
    connect(keys, &QAction::triggered, this, &MainWindow::showShortcuts);
    addAction(keys);
    connect(help->addAction(tr("&About Vigil")), &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openLogsAction);
    bar->addAction(m_followAction);
    bar->addSeparator();
    m_rangeBar = new RangeBar(*m_context, bar);
    bar->addWidget(m_rangeBar);
    connect(m_customRangeAction, &QAction::triggered, m_rangeBar, &RangeBar::pickCustomRange);
    bar->addSeparator();
    bar->addAction(m_refreshAction);
}

void MainWindow::updateActions()
{
    const bool store = m_context->hasStore();
    const bool writable = store && !m_context->readOnly();
    m_openLogsAction->setEnabled(writable || m_opening);
    m_followAction->setEnabled(writable || m_opening);
    m_cancelIngestAction->setEnabled(ingest().busy());
    m_quarantineAction->setEnabled(store);
    m_refreshAction->setEnabled(store);
    m_backAction->setEnabled(m_context->canGoBack());
    m_clearFiltersAction->setEnabled(!m_context->filter().empty());
}

void MainWindow::chooseStore()
{
    auto *dialog = new QFileDialog(this, tr("Open a Vigil store"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Vigil stores (*.db *.sqlite *.sqlite3)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { openStore(path, OpenMode::Existing); });
    dialog->open();
}

void MainWindow::chooseNewStore()
{
    auto *dialog = new QFileDialog(this, tr("Create a Vigil store"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("db"));
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString &path) { openStore(path, OpenMode::CreateIfMissing); });
    dialog->open();
}

void MainWindow::chooseLogFiles()
{
    auto *dialog = new QFileDialog(this, tr("Ingest request logs"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilters({tr("Request logs (*.ndjson *.jsonl *.gz)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::filesSelected, this, &MainWindow::ingestFiles);
    dialog->open();
}

void MainWindow::chooseFollowFile()
{
    auto *dialog = new QFileDialog(this, tr("Follow a request log"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Request logs (*.ndjson *.jsonl *.log)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::followFile);
    dialog->open();
}

void MainWindow::showShortcuts()
{
    QString rows;
    const auto row = [&rows](const QString &what, const QKeySequence &keys) {
        if (!keys.isEmpty())
            rows += QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;<b>%2</b></td></tr>")
                        .arg(QString(what).remove(QLatin1Char('&')).toHtmlEscaped(), keys.toString(QKeySequence::NativeText));
    };
    for (QAction *a : m_pageActions)
        row(tr("Go to %1").arg(a->text()), a->shortcut());
    for (const auto &[preset, a] : m_rangeActions)
        row(a->text(), a->shortcut());
    for (QAction *a : {m_customRangeAction, m_backAction, m_focusFiltersAction, m_clearFiltersAction, m_refreshAction,
                       m_openLogsAction, m_followAction, m_cancelIngestAction, m_quarantineAction, m_jobsAction,
                       m_openStoreAction, m_newStoreAction, m_quitAction})
        row(a->text(), a->shortcut());
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *label = new QLabel(QStringLiteral("<table>%1</table><p>On a chart: drag to zoom, click a bucket to narrow "
                                            "to it, hover for exact values.</p>").arg(rows), dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(label);
    layout->addWidget(buttons);
    dialog->show();
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("About Vigil"),
                                tr("<b>Vigil %1</b><p>An operations console for production LLM systems: "
                                   "latency, errors and spend by tenant, model and prompt version.</p>")
                                    .arg(QStringLiteral(VIGIL_VERSION)),
                                QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace vigil::ui
