#include "alerts/alert_center.h"

#include "alerts/alert_board_runner.h"
#include "alerts/alert_config_source.h"
#include "alerts/alert_format.h"
#include "alerts/alert_service.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/format.h"
#include "util/theme.h"

#include "metrics/time_window.h"

#include <QApplication>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QThreadPool>
#include <QToolButton>

namespace vigil::ui {

namespace {

constexpr int kPollMs = 5000;          // other processes evaluate too: look again every few seconds
constexpr int kNotificationMs = 15'000; // how long the desktop notification stays

QString firingKey(const AlertState &s)
{
    return QString::fromStdString(s.dedupKey) + QLatin1Char('#') + QString::number(s.episode);
}

} // namespace

AlertCenter::AlertCenter(MainWindow &window)
    : QObject(&window), m_window(window), m_context(window.context()), m_board(new AlertBoardRunner(this)),
      m_config(new AlertConfigSource(this))
{
    setObjectName(QStringLiteral("alertCenter"));
    m_evaluatorEnabled = qEnvironmentVariable("VIGIL_CONSOLE_EVALUATOR") != QLatin1String("0");

    m_statusButton = new QToolButton(window.statusBar());
    m_statusButton->setObjectName(QStringLiteral("alertStatus"));
    m_statusButton->setAutoRaise(true);
    m_statusButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    window.statusBar()->addPermanentWidget(m_statusButton);
    connect(m_statusButton, &QToolButton::clicked, this, [this] { m_window.showPage(QStringLiteral("alerts")); });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(window.windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("Vigil"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            m_window.showNormal();
            m_window.raise();
            m_window.activateWindow();
            m_window.showPage(QStringLiteral("alerts"));
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_window.showNormal();
            m_window.raise();
            m_window.activateWindow();
            revealAlert(m_lastNotifiedKey);
        });
        m_tray->show();
    }

    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &AlertCenter::refresh);
    connect(&m_context, &ConsoleContext::storeChanged, this, &AlertCenter::onStoreChanged);
    connect(&m_context, &ConsoleContext::rangeChanged, this, &AlertCenter::refreshMarkers);
    connect(&m_context, &ConsoleContext::ticked, this, [this] {
        if (!m_context.range().isCustom())
            refreshMarkers();
    });
    connect(&m_context, &ConsoleContext::dataArrived, this, [this] {
        if (m_service)
            m_service->requestEvaluation();
    });
    connect(&m_context, &ConsoleContext::nowPinned, this, [this] {
        if (m_service) { // the evaluator's clock follows the console's
            stopService();
            startService();
        }
    });
    connect(m_config, &AlertConfigSource::setupChanged, this, &AlertCenter::onSetupChanged);
    connect(m_config, &AlertConfigSource::problemsChanged, this, [this] {
        if (!m_config->problems().isEmpty())
            m_window.statusBar()->showMessage(
                tr("The alert rules have a mistake (%1); the last good rules stay in force.")
                    .arg(m_config->problems().constFirst()),
                15'000);
        updateStatus();
    });
    updateStatus();
}

AlertCenter::~AlertCenter()
{
    m_poll.stop();
    // Closing the window: stop evaluating here and now, releasing the lease
    // so that a server (or another console) takes over at once.
    delete m_service;
}

AlertCenter *AlertCenter::of(const MainWindow &window)
{
    return window.findChild<AlertCenter *>(QStringLiteral("alertCenter"), Qt::FindDirectChildrenOnly);
}

void AlertCenter::onStoreChanged()
{
    stopService();
    ++m_generation;
    ++m_markerGeneration;
    m_loading = false;
    m_refreshAgain = false;
    m_snapshot.reset();
    m_lastError.clear();
    m_leaseHeld.reset();
    m_ticks = 0;
    m_serviceProblem.clear();
    m_seeded = false;
    m_firingSeen.clear();
    m_markersNewestEvent = -1;
    m_markers.clear();
    m_window.setChartMarkers(QStringLiteral("alerts"), {});
    m_board->setStore(m_context.storePath(), m_config->setup());
    Q_EMIT snapshotChanged();
    if (!m_context.hasStore()) {
        m_poll.stop();
        updateStatus();
        return;
    }
    startService();
    m_poll.start();
    refresh();
    updateStatus();
}

void AlertCenter::onSetupChanged()
{
    m_board->setSetup(m_config->setup());
    if (m_service) {
        stopService();
        startService();
    }
    if (m_context.hasStore())
        refresh();
}

void AlertCenter::setEvaluatorEnabled(bool enabled)
{
    if (enabled == m_evaluatorEnabled)
        return;
    m_evaluatorEnabled = enabled;
    stopService();
    startService();
    updateStatus();
}

void AlertCenter::startService()
{
    if (m_service || !m_evaluatorEnabled || !m_context.hasStore() || m_context.readOnly())
        return;
    const AlertSetup &setup = m_config->setup();
    AlertService::Options o;
    o.storePath = m_context.storePath().toStdString();
    o.config = setup.config;
    o.configFile = setup.costsFrom;
    o.regression = setup.regression;
    if (const auto pinned = m_context.pinnedNow())
        o.wallClock = [at = *pinned] { return at; }; // a replay evaluates at the pinned instant
    auto *service = new AlertService(std::move(o), this);
    connect(service, &AlertService::evaluated, this, [this, service](bool held, int, int) {
        if (service != m_service)
            return;
        m_leaseHeld = held;
        ++m_ticks;
        updateStatus();
        Q_EMIT evaluated(held);
        refresh();
    });
    connect(service, &AlertService::problem, this, [this, service](const QString &message) {
        if (service != m_service)
            return;
        m_serviceProblem = message;
        m_window.statusBar()->showMessage(tr("Alerts: %1").arg(message), 10'000);
        updateStatus();
    });
    m_service = service;
    service->start();
}

void AlertCenter::stopService()
{
    AlertService *service = m_service;
    if (!service)
        return;
    m_service = nullptr;
    m_leaseHeld.reset();
    // Stopping waits for an evaluation in progress: never on the UI thread.
    service->disconnect(this);
    service->setParent(nullptr);
    service->moveToThread(nullptr);
    QThreadPool::globalInstance()->start([service] { delete service; });
}

void AlertCenter::refresh()
{
    if (!m_context.hasStore())
        return;
    if (m_loading) {
        m_refreshAgain = true;
        return;
    }
    m_loading = true;
    const std::uint64_t generation = m_generation;
    const std::int64_t now = m_context.nowMs();
    m_board->run<std::shared_ptr<const AlertSnapshot>>(
        this,
        [now](AlertBoard &board) {
            auto s = std::make_shared<AlertSnapshot>();
            s->alerts = board.overview(now);
            s->costs = board.costs(now);
            return std::shared_ptr<const AlertSnapshot>(std::move(s));
        },
        [this, generation](std::shared_ptr<const AlertSnapshot> snapshot) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_lastError.clear();
            show(std::move(snapshot));
            if (std::exchange(m_refreshAgain, false))
                refresh();
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_lastError = message;
            updateStatus();
            Q_EMIT readFailed(message);
            Q_EMIT snapshotChanged();
            if (std::exchange(m_refreshAgain, false))
                refresh();
        });
}

void AlertCenter::show(std::shared_ptr<const AlertSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    const CostOverview &c = m_snapshot->costs;
    m_context.setCostDay(c.caps.daily ? std::optional<double>(c.caps.daily->usd) : std::nullopt,
                         QString::fromStdString(c.caps.timeZoneName));
    notifyNewFirings(m_snapshot->alerts);
    updateStatus();
    const std::int64_t newest = m_snapshot->alerts.history.empty() ? 0 : m_snapshot->alerts.history.front().id;
    if (newest != m_markersNewestEvent) {
        m_markersNewestEvent = newest;
        refreshMarkers();
    }
    Q_EMIT snapshotChanged();
}

void AlertCenter::notifyNewFirings(const AlertOverview &overview)
{
    QSet<QString> firing;
    for (const AlertView &v : overview.firing)
        firing.insert(firingKey(v.state));
    if (!m_seeded) {
        // Alerts already firing when the store was opened get one summary,
        // not one notification each.
        m_seeded = true;
        m_firingSeen = firing;
        if (!overview.firing.empty())
            notify(tr("%n alert(s) firing", nullptr, static_cast<int>(overview.firing.size())),
                   alertTitle(overview.firing.front().state.rule, overview.firing.front().state.group) +
                       (overview.firing.size() > 1 ? tr(" and %n more", nullptr, static_cast<int>(overview.firing.size() - 1))
                                                   : QString()),
                   QString::fromStdString(overview.firing.front().state.dedupKey));
        return;
    }
    for (const AlertView &v : overview.firing) {
        const QString key = firingKey(v.state);
        if (m_firingSeen.contains(key))
            continue;
        m_firingSeen.insert(key);
        const QString title = v.state.type == AlertType::NotificationFailed
                                  ? tr("Notifications are failing")
                                  : tr("Firing: %1").arg(alertTitle(v.state.rule, v.state.group));
        notify(title, QString::fromStdString(v.state.summary), QString::fromStdString(v.state.dedupKey));
    }
}

void AlertCenter::notify(const QString &title, const QString &message, const QString &dedupKey)
{
    m_shown << title + QStringLiteral(": ") + message;
    m_lastNotifiedKey = dedupKey;
    if (m_tray)
        m_tray->showMessage(title, message, QSystemTrayIcon::Critical, kNotificationMs);
    Q_EMIT notified(title, message);
}

void AlertCenter::revealAlert(const QString &dedupKey)
{
    m_window.showPage(QStringLiteral("alerts"));
    if (!dedupKey.isEmpty())
        Q_EMIT revealRequested(dedupKey);
}

QString AlertCenter::evaluatorText() const
{
    if (!m_context.hasStore())
        return {};
    if (m_context.readOnly())
        return tr("The store is read-only: this console does not evaluate the rules.");
    if (!m_evaluatorEnabled)
        return tr("This console's evaluator is off.");
    if (m_leaseHeld.value_or(false))
        return tr("This console evaluates the rules and sends the notifications (no server holds the store).");
    const LeaseInfo *lease = m_snapshot && m_snapshot->alerts.lease ? &*m_snapshot->alerts.lease : nullptr;
    if (m_leaseHeld && lease && lease->expiresAtMs > currentTimeMs())
        return tr("Evaluated by another process: %1, pid %2 (this console takes over if it stops).")
            .arg(QString::fromStdString(lease->host))
            .arg(lease->pid);
    if (m_leaseHeld)
        return tr("Another process evaluates the rules; this console takes over if it stops.");
    return tr("Starting the evaluator…");
}

void AlertCenter::updateStatus()
{
    QString text;
    QString tip = evaluatorText();
    QColor colour;
    if (!m_context.hasStore()) {
        m_statusButton->hide();
    } else {
        m_statusButton->show();
        if (!m_snapshot) {
            text = m_lastError.isEmpty() ? tr("Alerts: …") : tr("Alerts: unreadable");
        } else {
            const AlertOverview &o = m_snapshot->alerts;
            const auto firing = static_cast<int>(o.firing.size());
            const auto pending = static_cast<int>(o.pending.size());
            text = tr("Alerts: %1 firing · %2 pending").arg(firing).arg(pending);
            if (!o.silenced.empty())
                text += tr(" · %1 silenced").arg(o.silenced.size());
            const StatusColors c = statusColors(m_statusButton->palette());
            if (o.notificationFailing || firing > 0)
                colour = c.bad;
            else if (pending > 0)
                colour = c.warning;
        }
        if (!m_lastError.isEmpty())
            tip += QLatin1Char('\n') + m_lastError;
        if (!m_config->problems().isEmpty())
            tip += QLatin1Char('\n') + tr("Rules: %1 (the last good rules stay in force)").arg(m_config->problems().join(QStringLiteral("; ")));
    }
    m_statusButton->setText(text);
    m_statusButton->setToolTip(tip);
    m_statusButton->setStyleSheet(colour.isValid() ? QStringLiteral("QToolButton { color: %1; font-weight: bold; }").arg(colour.name())
                                                   : QString());
    if (m_tray)
        m_tray->setToolTip(text.isEmpty() ? QStringLiteral("Vigil") : QStringLiteral("Vigil — ") + text);
}

void AlertCenter::refreshMarkers()
{
    if (!m_context.hasStore())
        return;
    const std::uint64_t generation = ++m_markerGeneration;
    const TimeWindow window = m_context.range().resolve(m_context.nowMs());
    const QPalette palette = m_window.palette();
    m_board->run<std::vector<AlertHistoryEntry>>(
        this, [window](AlertBoard &board) { return board.markers(window); },
        [this, generation, palette](std::vector<AlertHistoryEntry> events) {
            if (generation != m_markerGeneration)
                return;
            const StatusColors c = statusColors(palette);
            QList<ChartMarker> markers;
            for (const AlertHistoryEntry &e : events) {
                const bool fired = e.event == "firing";
                markers << ChartMarker{e.atMs,
                                       (fired ? tr("fired: %1") : tr("resolved: %1")).arg(alertTitle(e.rule, e.group)),
                                       fired ? alertSeverityColor(e.severity, palette) : c.good};
            }
            if (markers == m_markers)
                return;
            m_markers = markers;
            m_window.setChartMarkers(QStringLiteral("alerts"), markers);
            Q_EMIT markersChanged();
        });
}

} // namespace vigil::ui
