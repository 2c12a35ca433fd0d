#include "alerts/signed_webhook.h"

#include <QMessageAuthenticationCode>

namespace vigil {

QByteArray webhookSignature(const QByteArray &signingKey, const QByteArray &timestampSeconds, const QByteArray &body)
{
    return "sha256=" +
           QMessageAuthenticationCode::hash(timestampSeconds + '.' + body, signingKey, QCryptographicHash::Sha256).toHex();
}

OutboundRequest signedWebhookRequest(const Notification &n, const QString &url, const QByteArray &signingKey,
                                     std::int64_t nowMs)
{
    OutboundRequest r;
    r.url = QUrl(url);
    r.body = n.toJsonBytes();
    const QByteArray timestamp = QByteArray::number(static_cast<qlonglong>(nowMs / 1000));
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Vigil-Timestamp", timestamp},
                 {"X-Vigil-Signature", webhookSignature(signingKey, timestamp, r.body)},
                 {"X-Vigil-Delivery", QByteArray::fromStdString(n.messageId)},
                 {"X-Vigil-Event", QByteArray::fromStdString(n.event)}};
    return r;
}

} // namespace vigil
