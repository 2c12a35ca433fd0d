#include "alerts/outbox_dispatcher.h"

#include "alerts/notification.h"
#include "alerts/pagerduty_event.h"
#include "alerts/secret_resolver.h"
#include "alerts/signed_webhook.h"
#include "alerts/slack_message.h"
#include "metrics/time_window.h"
#include "store/alert_outbox_store.h"
#include "store/store_error.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QTimer>

namespace vigil {

namespace {
constexpr std::size_t kDueBatch = 64;
constexpr qint64 kResponseKept = 4096;
constexpr int kTempFail = 75; // EX_TEMPFAIL: a command asks to be run again later
} // namespace

OutboxDispatcher::OutboxDispatcher(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_outbox(std::make_unique<AlertOutbox>(m_options.storePath)), m_network(new QNetworkAccessManager(this)),
      m_secrets(new SecretResolver(this)), m_timer(new QTimer(this)), m_random(std::random_device{}())
{
    if (!m_options.wallClock)
        m_options.wallClock = [] { return currentTimeMs(); };
    m_secrets->setKeychainTimeoutMs(m_options.keychainTimeoutMs);
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &OutboxDispatcher::pump);
}

OutboxDispatcher::~OutboxDispatcher() = default;

std::int64_t OutboxDispatcher::now() const
{
    return m_options.wallClock();
}

void OutboxDispatcher::setPaused(bool paused)
{
    m_paused = paused;
    if (paused)
        m_timer->stop();
}

RateLimiter &OutboxDispatcher::limiter(const DestinationConfig &destination)
{
    return m_limiters.try_emplace(destination.name, destination.ratePerMinute).first->second;
}

void OutboxDispatcher::pump()
{
    if (m_paused)
        return;
    const std::int64_t t = now();
    std::vector<OutboxMessage> due;
    try {
        due = m_outbox->due(t, kDueBatch);
    } catch (const StoreError &e) {
        Q_EMIT problem(QStringLiteral("cannot read the notification outbox: %1").arg(QString::fromUtf8(e.what())));
        m_timer->start(5000);
        return;
    }
    std::optional<std::int64_t> earliestLimited;
    for (const OutboxMessage &m : due) {
        if (m_inFlight.count(m.id))
            continue;
        try {
            const DestinationConfig *destination = m_options.config.destination(m.destination);
            if (!destination) {
                m_outbox->markFailed(m.id, {t, std::nullopt, "the destination \"" + m.destination +
                                                                 "\" is no longer in the config", {}}, true);
                finished(m, QStringLiteral("abandoned"), QStringLiteral("destination not configured"));
                continue;
            }
            if (t - m.createdAtMs > m_options.config.settings.giveUpAfterMs) {
                m_outbox->markFailed(m.id, {t, m.lastHttpStatus, "given up after trying for too long (last: " +
                                                                     (m.lastError.empty() ? std::string("no answer") : m.lastError) + ")", {}},
                                     true);
                finished(m, QStringLiteral("abandoned"), QString::fromStdString(m.lastError));
                continue;
            }
            RateLimiter &pace = limiter(*destination);
            if (!pace.tryTake(t)) {
                earliestLimited = std::min(earliestLimited.value_or(INT64_MAX), pace.nextAllowedMs());
                continue;
            }
            send(m, *destination);
        } catch (const StoreError &e) {
            Q_EMIT problem(QStringLiteral("cannot record a notification attempt: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    schedule(t, earliestLimited);
}

void OutboxDispatcher::schedule(std::int64_t nowMs, std::optional<std::int64_t> earliestLimited)
{
    std::optional<std::int64_t> next = earliestLimited;
    try {
        if (const auto due = m_outbox->nextAttemptMs(); due && *due > nowMs)
            next = std::min(next.value_or(INT64_MAX), *due);
        else if (due && m_inFlight.empty() && !earliestLimited)
            next = nowMs + 1000; // due but skipped (a chain waiting behind its head): look again soon
    } catch (const StoreError &) {
        next = nowMs + 5000;
    }
    if (!next) {
        m_timer->start(30'000); // nothing pending: a slow heartbeat (give-up, new rows from elsewhere)
        return;
    }
    m_timer->start(static_cast<int>(std::clamp<std::int64_t>(*next - nowMs, 20, 30'000)));
}

void OutboxDispatcher::finished(const OutboxMessage &message, const QString &outcome, const QString &detail)
{
    Q_EMIT attemptFinished(QString::fromStdString(message.destination), QString::fromStdString(message.messageId),
                           outcome, detail);
}

void OutboxDispatcher::withSecret(const std::string &reference,
                                  std::function<void(std::optional<QByteArray>, QString)> then)
{
    if (const auto it = m_secretCache.find(reference); it != m_secretCache.end()) {
        then(it->second, QString());
        return;
    }
    m_secrets->resolve(reference, [this, reference, then](std::optional<QByteArray> value, QString error) {
        if (value)
            m_secretCache[reference] = *value;
        then(std::move(value), std::move(error));
    });
}

void OutboxDispatcher::retryLater(const OutboxMessage &message, const AttemptOutcome &outcome,
                                  std::optional<std::int64_t> afterMs)
{
    const AlertSettings &s = m_options.config.settings;
    const double random01 = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    const std::int64_t delay = afterMs ? *afterMs : backoffDelayMs(message.attempts + 1, s.retryBaseMs, s.retryMaxMs, random01);
    m_outbox->markRetry(message.id, outcome, outcome.atMs + delay);
}

void OutboxDispatcher::send(const OutboxMessage &message, const DestinationConfig &destination)
{
    const auto notification = Notification::fromJson(QByteArray::fromStdString(message.payloadJson));
    if (!notification) {
        m_outbox->markFailed(message.id, {now(), std::nullopt, "the stored notification cannot be read", {}}, false);
        finished(message, QStringLiteral("rejected"), QStringLiteral("unreadable payload"));
        return;
    }
    m_inFlight.insert(message.id);
    if (destination.type == DestinationType::Command) {
        runCommand(message, destination, *notification);
        return;
    }
    // A secret that cannot be had (variable unset, keychain locked) is a
    // failed attempt like a network error: retried, and notification_failed
    // after a while.
    const auto failSecret = [this, message](const QString &error) {
        try {
            retryLater(message, {now(), std::nullopt, "secret unavailable: " + error.toStdString(), {}}, std::nullopt);
        } catch (const StoreError &e) {
            Q_EMIT problem(QString::fromUtf8(e.what()));
        }
        m_inFlight.erase(message.id);
        finished(message, QStringLiteral("retry"), error);
    };
    const Notification n = *notification;
    const DestinationConfig d = destination;
    withSecret(d.secretRef, [this, message, d, n, failSecret](std::optional<QByteArray> secret, QString error) {
        if (!secret) {
            failSecret(error);
            return;
        }
        const QString target = QString::fromUtf8(*secret).trimmed();
        switch (d.type) {
        case DestinationType::PagerDuty:
            post(message, d, pagerDutyRequest(n, QString::fromStdString(d.endpoint), target));
            break;
        case DestinationType::Slack:
            post(message, d, slackRequest(n, target));
            break;
        case DestinationType::Webhook:
            withSecret(d.signingKeyRef, [this, message, d, n, target, failSecret](std::optional<QByteArray> key, QString keyError) {
                if (!key) {
                    failSecret(keyError);
                    return;
                }
                post(message, d, signedWebhookRequest(n, target, *key, now()));
            });
            break;
        case DestinationType::Command:
            break;
        }
    });
}

void OutboxDispatcher::post(const OutboxMessage &message, const DestinationConfig &destination,
                            const OutboundRequest &request)
{
    QNetworkRequest r(request.url);
    for (const auto &[name, value] : request.headers)
        r.setRawHeader(name, value);
    r.setTransferTimeout(static_cast<int>(destination.timeoutMs));
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QNetworkReply *reply = m_network->post(r, request.body);
    connect(reply, &QNetworkReply::finished, this,
            [this, message, destination, reply] { finishHttp(message, destination, reply); });
    // The transfer timeout does not cover every way a request can hang (a
    // connection that never completes, a request Qt re-sends after a reset),
    // so a deadline of our own ends any attempt: abort() finishes the reply
    // as an error, which is retried like any network failure.
    QTimer::singleShot(static_cast<int>(destination.timeoutMs) + 500, reply, [reply] {
        if (reply->isRunning())
            reply->abort();
    });
}

void OutboxDispatcher::finishHttp(const OutboxMessage &message, const DestinationConfig &destination,
                                  QNetworkReply *reply)
{
    reply->deleteLater();
    m_inFlight.erase(message.id);
    const std::int64_t t = now();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    AttemptOutcome outcome;
    outcome.atMs = t;
    QString result;
    try {
        if (!statusAttribute.isValid()) {
            // No HTTP answer at all: refused, unreachable, reset, timed out.
            outcome.error = reply->error() == QNetworkReply::OperationCanceledError
                                ? "no answer within " + std::to_string(destination.timeoutMs / 1000) + " s"
                                : reply->errorString().toStdString();
            retryLater(message, outcome, std::nullopt);
            result = QStringLiteral("retry");
        } else {
            const int status = statusAttribute.toInt();
            outcome.httpStatus = status;
            outcome.response = reply->read(kResponseKept).toStdString();
            const DeliveryDecision decision = classifyHttpStatus(status, reply->rawHeader("Retry-After"), t);
            switch (decision.verdict) {
            case DeliveryVerdict::Delivered:
                m_outbox->markDelivered(message.id, outcome);
                result = QStringLiteral("delivered");
                break;
            case DeliveryVerdict::Retry:
                outcome.error = "HTTP " + std::to_string(status);
                if (decision.retryAfterMs)
                    limiter(destination).holdUntil(t + *decision.retryAfterMs);
                retryLater(message, outcome, decision.retryAfterMs);
                result = QStringLiteral("retry");
                break;
            case DeliveryVerdict::Reject:
                outcome.error = "HTTP " + std::to_string(status) + " (refused: not retried)";
                m_outbox->markFailed(message.id, outcome, false);
                result = QStringLiteral("rejected");
                break;
            }
        }
    } catch (const StoreError &e) {
        Q_EMIT problem(QStringLiteral("cannot record a notification attempt: %1").arg(QString::fromUtf8(e.what())));
    }
    finished(message, result, QString::fromStdString(outcome.error));
    pump();
}

void OutboxDispatcher::runCommand(const OutboxMessage &message, const DestinationConfig &destination,
                                  const Notification &notification)
{
    auto *process = new QProcess(this);
    process->setProgram(QString::fromStdString(destination.command.front()));
    QStringList arguments;
    for (std::size_t i = 1; i < destination.command.size(); ++i)
        arguments << QString::fromStdString(destination.command[i]);
    process->setArguments(arguments);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VIGIL_EVENT"), QString::fromStdString(notification.event));
    env.insert(QStringLiteral("VIGIL_DEDUP_KEY"), QString::fromStdString(notification.dedupKey));
    env.insert(QStringLiteral("VIGIL_MESSAGE_ID"), QString::fromStdString(notification.messageId));
    env.insert(QStringLiteral("VIGIL_SEVERITY"), QString::fromUtf8(severityName(notification.severity)));
    env.insert(QStringLiteral("VIGIL_SUMMARY"), QString::fromStdString(notification.summary));
    env.insert(QStringLiteral("VIGIL_RUNBOOK_URL"), QString::fromStdString(notification.runbookUrl));
    process->setProcessEnvironment(env);
    auto done = std::make_shared<bool>(false);
    const auto complete = [this, message, process, done](const AttemptOutcome &outcome, const QString &verdict) {
        if (*done)
            return;
        *done = true;
        m_inFlight.erase(message.id);
        try {
            if (verdict == QLatin1String("delivered"))
                m_outbox->markDelivered(message.id, outcome);
            else if (verdict == QLatin1String("retry"))
                retryLater(message, outcome, std::nullopt);
            else
                m_outbox->markFailed(message.id, outcome, false);
        } catch (const StoreError &e) {
            Q_EMIT problem(QString::fromUtf8(e.what()));
        }
        finished(message, verdict, QString::fromStdString(outcome.error));
        process->deleteLater();
        pump();
    };
    connect(process, &QProcess::finished, this, [this, process, complete](int code, QProcess::ExitStatus status) {
        AttemptOutcome o;
        o.atMs = now();
        o.response = process->readAllStandardError().left(kResponseKept).toStdString();
        if (status == QProcess::NormalExit && code == 0) {
            complete(o, QStringLiteral("delivered"));
        } else if (status != QProcess::NormalExit || code == kTempFail) {
            o.error = status != QProcess::NormalExit ? std::string("the command crashed or timed out")
                                                     : "the command asked to be run again later (exit 75)";
            complete(o, QStringLiteral("retry"));
        } else {
            o.error = "the command failed with exit code " + std::to_string(code) + " (not retried)";
            complete(o, QStringLiteral("rejected"));
        }
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, complete](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // crashes and timeouts end in finished()
        complete({now(), std::nullopt, "the command could not be started: " + process->errorString().toStdString(), {}},
                 QStringLiteral("rejected"));
    });
    QTimer::singleShot(static_cast<int>(destination.timeoutMs), process, [process] {
        if (process->state() != QProcess::NotRunning)
            process->kill();
    });
    process->start();
    process->write(notification.toJsonBytes());
    process->closeWriteChannel();
}

} // namespace vigil
