#pragma once

#include "alerts/alert_board.h"
#include "pages/page.h"

#include <QPointer>

#include <memory>
#include <optional>

class QLabel;
class QMenu;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace vigil::ui {

class AlertActionDialog;
class AlertCenter;
class Banner;
struct AlertSnapshot;

// The on-call's list: firing, pending and silenced alerts and the last day's
// resolved ones, each with its severity, since when, and its value against
// its threshold; acknowledge and silence with a reason (recorded with who
// and when); recent events below. Selecting an alert renders its runbook
// beside the list and points the dashboard at the alert's window and labels.
// A failing notification channel is shown as a red banner across the top.
class AlertsPage final : public Page
{
    Q_OBJECT

public:
    enum class Section { Firing, Pending, Silenced, Resolved };

    AlertsPage(AlertCenter &center, ConsoleContext &context, QWidget *parent = nullptr);
    ~AlertsPage() override;

    QString pageId() const override { return QStringLiteral("alerts"); }
    QString title() const override { return tr("Alerts"); }
    QIcon icon() const override;
    bool isLoading() const override;

    // What is on screen, for tests.
    QTreeWidget *alertTree() const { return m_tree; }
    QTreeWidget *historyTree() const { return m_history; }
    QTextBrowser *runbookView() const { return m_runbook; }
    QPushButton *rollbackButton() const { return m_rollback; }
    QStringList keysIn(Section section) const;
    QTreeWidgetItem *itemFor(Section section, const QString &dedupKey) const;
    QString failedBannerText() const;
    QString configBannerText() const;
    QString selectedKey() const;
    std::optional<DashboardFocus> selectedFocus() const { return m_focus; }

    // Selects the alert (as a click does): its runbook, and the dashboard's focus.
    bool selectAlert(Section section, const QString &dedupKey);
    void showInDashboard();
    // Selects the alert now, or as soon as a snapshot lists it.
    void revealAlert(const QString &dedupKey);

    // Operator actions on the store, off the UI thread; actionFinished follows.
    void acknowledge(const QString &dedupKey, const QString &reason);
    void silence(const QString &target, std::int64_t durationMs, const QString &reason);
    AlertActionDialog *openActionDialog(bool forSilence); // for the selected alert

    // A prompt_regression alert names its prompt: the prompt of the selected
    // alert when it is one (empty otherwise), and the offer to roll it back
    // (the Prompts page's own confirm dialog does the rest).
    QString rollbackPrompt() const;
    void requestRollback();
    // The row's context menu (null when the row offers nothing); the caller owns it.
    QMenu *contextMenuFor(QTreeWidgetItem *item);

Q_SIGNALS:
    void actionFinished(bool ok, const QString &message);
    void rollbackRequested(const QString &prompt);

protected:
    void refresh() override;

private:
    void show();
    void fillTree(const AlertSnapshot &s);
    void fillHistory(const AlertSnapshot &s);
    void showBanners();
    void onSelection();
    void showDetails(const AlertView *view, const AlertHistoryEntry *resolved);
    void showRunbook(AlertType type);
    void updateButtons();
    const AlertView *viewFor(Section section, const QString &dedupKey) const;
    const AlertHistoryEntry *resolvedEntry(std::int64_t id) const;
    DashboardFocus focusForResolved(const AlertHistoryEntry &entry) const;

    AlertCenter &m_center;
    std::shared_ptr<const AlertSnapshot> m_shown;
    Banner *m_configBanner = nullptr;
    Banner *m_errorBanner = nullptr;
    QLabel *m_failedBanner = nullptr;
    QLabel *m_evaluator = nullptr;
    QTreeWidget *m_tree = nullptr;
    QTreeWidget *m_history = nullptr;
    QPushButton *m_ack = nullptr;
    QPushButton *m_silence = nullptr;
    QPushButton *m_toDashboard = nullptr;
    QPushButton *m_rollback = nullptr;
    QLabel *m_details = nullptr;
    QTextBrowser *m_runbook = nullptr;
    std::optional<DashboardFocus> m_focus;
    std::optional<AlertType> m_runbookType;
    QPointer<AlertActionDialog> m_dialog;
    QString m_pendingReveal;
    bool m_filling = false;
    int m_actionsRunning = 0;
};

} // namespace vigil::ui
