// vigilctl alerts evaluate|run: the evaluator and the notifiers without the HTTP server.
#include "alerts_cli.h"

#include "alerts/alert_evaluator.h"
#include "alerts/alert_service.h"
#include "alerts/outbox_dispatcher.h"
#include "metrics/time_window.h"
#include "store/alert_outbox_store.h"
#include "store/alert_store.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace vigil::cli {

namespace {

AlertEvaluator::Options evaluatorOptions(const AlertsContext &c)
{
    AlertEvaluator::Options o;
    o.storePath = c.env.storePath;
    o.config = c.setup.config;
    o.configFile = c.setup.costsFrom;
    o.regression = c.setup.regression;
    return o;
}

void reportDelivery(const QString &destination, const QString &messageId, const QString &outcome, const QString &detail)
{
    err() << "vigilctl alerts: notification to " << destination << ' ' << outcome << ' ' << messageId
          << (detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')')) << '\n';
    err().flush();
}

// Sends what is due until nothing is due or in flight, or `waitMs` passed.
void deliver(const AlertsContext &c, std::int64_t waitMs)
{
    OutboxDispatcher dispatcher({c.env.storePath, c.setup.config, {}, 5000});
    AlertOutbox outbox(c.env.storePath, AlertOutbox::Access::ReadOnly);
    QObject::connect(&dispatcher, &OutboxDispatcher::attemptFinished, &dispatcher, &reportDelivery);
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (dispatcher.inFlight() == 0 && outbox.due(currentTimeMs(), 1).empty())
            loop.quit();
    });
    dispatcher.pump();
    deadline.start(static_cast<int>(waitMs));
    poll.start(100);
    loop.exec();
    dispatcher.setPaused(true);
}

} // namespace

int alertsEvaluate(AlertsContext &c)
{
    const auto wait = parseDurationMs(c.parser.value(QStringLiteral("wait")).toStdString());
    if (!wait)
        return c.fail(QStringLiteral("--wait is not a duration (e.g. 30s)"), BadUsage);
    AlertEvaluator evaluator(evaluatorOptions(c));
    const std::int64_t now = c.now();
    const AlertEvaluator::Result r =
        c.parser.isSet(QStringLiteral("catch-up")) ? evaluator.catchUp(now) : evaluator.evaluate(now);
    if (!r.leaseHeld) {
        AlertStore store(c.env.storePath, AlertStore::Access::ReadOnly);
        const auto lease = store.lease();
        return c.fail(QStringLiteral("another process evaluates this store and pages (%1, pid %2): nothing was done")
                          .arg(lease ? QString::fromStdString(lease->host) : QStringLiteral("?"))
                          .arg(lease ? lease->pid : 0),
                      CheckFailed);
    }
    for (const std::string &e : r.ruleErrors)
        err() << c.command << ": " << QString::fromStdString(e) << '\n';
    if (c.parser.isSet(QStringLiteral("deliver")))
        deliver(c, *wait);
    evaluator.releaseLease();
    AlertOutbox outbox(c.env.storePath, AlertOutbox::Access::ReadOnly);
    const OutboxCounts counts = outbox.counts();
    if (c.json) {
        printJson({{QStringLiteral("evaluations"), r.evaluations},
                   {QStringLiteral("events"), r.events},
                   {QStringLiteral("notifications_queued"), r.notificationsQueued},
                   {QStringLiteral("outbox_pending"), static_cast<qint64>(counts.pending)},
                   {QStringLiteral("outbox_delivered"), static_cast<qint64>(counts.delivered)},
                   {QStringLiteral("outbox_refused"), static_cast<qint64>(counts.rejected + counts.abandoned)}});
        return Ok;
    }
    out() << r.evaluations << (r.evaluations == 1 ? " evaluation, " : " evaluations, ") << r.events
          << " state changes, " << r.notificationsQueued << " notifications queued; outbox: " << counts.pending
          << " pending, " << counts.delivered << " delivered, " << counts.rejected + counts.abandoned << " refused\n";
    out().flush();
    return Ok;
}

void logAlertActivity(AlertService &service, const char *prefix)
{
    const QString p = QString::fromLatin1(prefix);
    QObject::connect(&service, &AlertService::delivery, &service,
                     [p](const QString &destination, const QString &id, const QString &outcome, const QString &detail) {
                         err() << p << ": notification to " << destination << ' ' << outcome << ' ' << id
                               << (detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')')) << '\n';
                         err().flush();
                     });
    QObject::connect(&service, &AlertService::problem, &service, [p](const QString &message) {
        err() << p << ": alerts: " << message << '\n';
        err().flush();
    });
}

int alertsRun(AlertsContext &c)
{
    AlertService::Options o;
    o.storePath = c.env.storePath;
    o.config = c.setup.config;
    o.configFile = c.setup.costsFrom;
    o.regression = c.setup.regression;
    AlertService service(o);
    logAlertActivity(service, "vigilctl alerts run");
    installInterruptHandler();
    QTimer stop;
    QObject::connect(&stop, &QTimer::timeout, &stop, [] {
        if (interrupted().load())
            QCoreApplication::quit();
    });
    stop.start(200);
    service.start();
    err() << "vigilctl alerts run: evaluating " << QString::fromStdString(c.env.storePath) << " every "
          << c.setup.config.settings.evaluateEveryMs / 1000 << "s (rules from "
          << QString::fromStdString(c.setup.rulesFrom) << "); Ctrl-C stops\n";
    err().flush();
    QCoreApplication::exec();
    return Ok;
}

} // namespace vigil::cli
