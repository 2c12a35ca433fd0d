#pragma once

#include "alerts/alert_board.h"
#include "charts/chart_marker.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

class QSystemTrayIcon;
class QToolButton;

namespace vigil {
class AlertService;
}

namespace vigil::ui {

class AlertBoardRunner;
class AlertConfigSource;
class ConsoleContext;
class MainWindow;

// What the Alerts and Costs pages show, read together in one call.
struct AlertSnapshot
{
    AlertOverview alerts;
    CostOverview costs;
};

// The console's alerting, shared by the Alerts and Costs pages: the rules
// (AlertConfigSource), the store calls (AlertBoardRunner), a snapshot of
// the alerts and the day's spend refreshed every few seconds, the alert
// markers on the charts, the alert counts in the status bar, a desktop
// notification from the tray icon when an alert fires, and the evaluator.
// The console runs its own evaluator (AlertService, on its own thread) on
// every writable store it opens; the store's lease lets it evaluate and page
// only while no other process (vigilctl serve, another console) does, and it
// takes over when that process goes away.
class AlertCenter final : public QObject
{
    Q_OBJECT

public:
    explicit AlertCenter(MainWindow &window);
    ~AlertCenter() override;
    Q_DISABLE_COPY_MOVE(AlertCenter)

    static AlertCenter *of(const MainWindow &window);

    ConsoleContext &context() const { return m_context; }
    AlertBoardRunner &board() const { return *m_board; }
    AlertConfigSource &config() const { return *m_config; }

    // The last snapshot; nothing before the first answer for this store.
    std::shared_ptr<const AlertSnapshot> snapshot() const { return m_snapshot; }
    QString lastError() const { return m_lastError; } // of the last read; empty when it worked
    bool isLoading() const { return m_loading; }
    void refresh(); // read the snapshot now

    // The evaluator. On by default; VIGIL_CONSOLE_EVALUATOR=0 turns it off.
    void setEvaluatorEnabled(bool enabled);
    bool evaluatorEnabled() const { return m_evaluatorEnabled; }
    bool evaluatorRunning() const { return m_service != nullptr; }
    // The last evaluation tick's answer: did this console hold the lease?
    std::optional<bool> leaseHeld() const { return m_leaseHeld; }
    int evaluationTicks() const { return m_ticks; }
    QString evaluatorText() const; // who evaluates this store, for the status bar and the page
    QString lastEvaluatorProblem() const { return m_serviceProblem; }

    // Shows the Alerts page with this alert selected once it is listed
    // (vigil --alert KEY; a click on the desktop notification).
    void revealAlert(const QString &dedupKey);

    QToolButton *statusButton() const { return m_statusButton; }
    QSystemTrayIcon *trayIcon() const { return m_tray; } // nothing without a system tray
    QStringList notificationsShown() const { return m_shown; }
    QList<ChartMarker> markers() const { return m_markers; }

Q_SIGNALS:
    void snapshotChanged();
    void readFailed(const QString &message);
    // A desktop notification (shown from the tray icon when there is one).
    void notified(const QString &title, const QString &message);
    void evaluated(bool leaseHeld);
    void markersChanged();
    void revealRequested(const QString &dedupKey);

private:
    void onStoreChanged();
    void onSetupChanged();
    void startService();
    void stopService();
    void show(std::shared_ptr<const AlertSnapshot> snapshot);
    void notifyNewFirings(const AlertOverview &overview);
    void notify(const QString &title, const QString &message, const QString &dedupKey);
    void updateStatus();
    void refreshMarkers();

    MainWindow &m_window;
    ConsoleContext &m_context;
    AlertBoardRunner *m_board = nullptr;
    AlertConfigSource *m_config = nullptr;
    AlertService *m_service = nullptr;
    QTimer m_poll;
    std::shared_ptr<const AlertSnapshot> m_snapshot;
    QString m_lastError;
    bool m_loading = false;
    bool m_refreshAgain = false;
    std::uint64_t m_generation = 0;
    std::uint64_t m_markerGeneration = 0;
    std::int64_t m_markersNewestEvent = -1;
    bool m_evaluatorEnabled = true;
    std::optional<bool> m_leaseHeld;
    int m_ticks = 0;
    QString m_serviceProblem;
    bool m_seeded = false;
    QSet<QString> m_firingSeen; // "dedupKey#episode" of firings already notified (or there at open)
    QStringList m_shown;
    QString m_lastNotifiedKey;
    QToolButton *m_statusButton = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QList<ChartMarker> m_markers;
};

} // namespace vigil::ui
