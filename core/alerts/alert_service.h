#pragma once

#include "alerts/alert_config.h"
#include "prompts/prompt_regression.h"

#include <QObject>
#include <QThread>

#include <cstdint>
#include <functional>
#include <string>

namespace vigil {

// Alerting for a process that owns a store: the evaluator and the outbox
// dispatcher on a thread of their own (never the UI's or the HTTP server's).
// It evaluates on a timer (evaluate_every), soon after new data is committed
// (coalesced: at most once a second), and once at start with catch-up. Only
// the process holding the store's lease evaluates and pages; the others
// check again at every tick and take over when the holder goes away.
// `vigilctl serve` runs one; the console runs one when no server does.
class AlertService final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        std::string storePath;
        AlertConfig config;
        std::string configFile;
        PromptRegressionRule regression;
        // When data was last committed (polled each second; WriteQueue::lastCommitMs). Optional.
        std::function<std::int64_t()> lastCommitMs;
        bool catchUpOnStart = true;
        std::function<std::int64_t()> wallClock; // tests; currentTimeMs when empty
    };

    explicit AlertService(Options options, QObject *parent = nullptr);
    ~AlertService() override; // stops the thread and releases the lease
    AlertService(const AlertService &) = delete;
    AlertService &operator=(const AlertService &) = delete;

    void start();
    // From any thread: evaluate soon.
    void requestEvaluation();

Q_SIGNALS:
    // Emitted on the service's thread; connect with a context object.
    void evaluated(bool leaseHeld, int events, int notificationsQueued);
    void delivery(const QString &destination, const QString &messageId, const QString &outcome, const QString &detail);
    void problem(const QString &message);

private:
    class Worker;
    Options m_options;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace vigil
