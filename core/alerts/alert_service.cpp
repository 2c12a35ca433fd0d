#include "alerts/alert_service.h"

#include "alerts/alert_evaluator.h"
#include "alerts/outbox_dispatcher.h"
#include "metrics/time_window.h"
#include "store/store_error.h"

#include <QTimer>

#include <memory>

namespace vigil {

// Lives on the service's thread; everything it owns is made there.
class AlertService::Worker final : public QObject
{
public:
    Worker(AlertService &service, Options options) : m_service(service), m_options(std::move(options)) {}

    void begin()
    {
        if (!m_options.wallClock)
            m_options.wallClock = [] { return currentTimeMs(); };
        try {
            AlertEvaluator::Options e;
            e.storePath = m_options.storePath;
            e.config = m_options.config;
            e.configFile = m_options.configFile;
            e.regression = m_options.regression;
            e.wallClock = m_options.wallClock;
            m_evaluator = std::make_unique<AlertEvaluator>(std::move(e));
            m_dispatcher = std::make_unique<OutboxDispatcher>(
                OutboxDispatcher::Options{m_options.storePath, m_options.config, m_options.wallClock, 5000});
        } catch (const StoreError &e) {
            Q_EMIT m_service.problem(QStringLiteral("alerting is off: %1").arg(QString::fromUtf8(e.what())));
            return;
        }
        connect(m_dispatcher.get(), &OutboxDispatcher::attemptFinished, this,
                [this](const QString &d, const QString &id, const QString &outcome, const QString &detail) {
                    Q_EMIT m_service.delivery(d, id, outcome, detail);
                    if (outcome != QLatin1String("delivered"))
                        requestSoon(); // destination health changed: notification_failed may be due
                });
        connect(m_dispatcher.get(), &OutboxDispatcher::problem, this,
                [this](const QString &message) { Q_EMIT m_service.problem(message); });
        m_tick.setInterval(static_cast<int>(m_options.config.settings.evaluateEveryMs));
        connect(&m_tick, &QTimer::timeout, this, [this] { evaluate(false); });
        m_soon.setSingleShot(true);
        m_soon.setInterval(1000);
        connect(&m_soon, &QTimer::timeout, this, [this] { evaluate(false); });
        if (m_options.lastCommitMs) {
            m_commitPoll.setInterval(1000);
            connect(&m_commitPoll, &QTimer::timeout, this, [this] {
                const std::int64_t last = m_options.lastCommitMs();
                if (last != m_lastCommitSeen) {
                    m_lastCommitSeen = last;
                    requestSoon();
                }
            });
            m_lastCommitSeen = m_options.lastCommitMs();
            m_commitPoll.start();
        }
        m_tick.start();
        evaluate(m_options.catchUpOnStart);
    }

    void requestSoon()
    {
        if (m_evaluator && !m_soon.isActive())
            m_soon.start();
    }

    void end()
    {
        m_tick.stop();
        m_soon.stop();
        m_commitPoll.stop();
        if (m_evaluator) {
            try {
                m_evaluator->releaseLease();
            } catch (const StoreError &) {
                // The lease expires on its own.
            }
        }
        m_dispatcher.reset();
        m_evaluator.reset();
    }

private:
    void evaluate(bool catchUp)
    {
        if (!m_evaluator)
            return;
        try {
            const std::int64_t now = m_options.wallClock();
            const AlertEvaluator::Result r = catchUp ? m_evaluator->catchUp(now) : m_evaluator->evaluate(now);
            for (const std::string &e : r.ruleErrors)
                Q_EMIT m_service.problem(QString::fromStdString(e));
            m_dispatcher->setPaused(!r.leaseHeld);
            if (r.leaseHeld)
                m_dispatcher->pump();
            Q_EMIT m_service.evaluated(r.leaseHeld, r.events, r.notificationsQueued);
        } catch (const StoreError &e) {
            Q_EMIT m_service.problem(QStringLiteral("alert evaluation failed: %1").arg(QString::fromUtf8(e.what())));
        }
    }

    AlertService &m_service;
    Options m_options;
    std::unique_ptr<AlertEvaluator> m_evaluator;
    std::unique_ptr<OutboxDispatcher> m_dispatcher;
    QTimer m_tick{this};
    QTimer m_soon{this};
    QTimer m_commitPoll{this};
    std::int64_t m_lastCommitSeen = 0;
};

AlertService::AlertService(Options options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_thread.setObjectName(QStringLiteral("vigil-alerts"));
}

AlertService::~AlertService()
{
    if (m_worker) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->end(); }, Qt::BlockingQueuedConnection);
        m_thread.quit(); // the worker is deleted as the thread finishes
        m_thread.wait();
    }
}

void AlertService::start()
{
    if (m_worker)
        return;
    m_worker = new Worker(*this, m_options);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->begin(); }, Qt::QueuedConnection);
}

void AlertService::requestEvaluation()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->requestSoon(); }, Qt::QueuedConnection);
}

} // namespace vigil
