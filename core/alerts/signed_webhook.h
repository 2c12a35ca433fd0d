#pragma once
// A generic JSON webhook: the notification as JSON, signed so the receiver
// can tell it came from this Vigil and was not replayed later:
//   X-Vigil-Timestamp: <unix seconds>
//   X-Vigil-Signature: sha256=<hex HMAC-SHA256(key, "<timestamp>.<body>")>
//   X-Vigil-Delivery:  <message id, the same on every retry: de-duplicate on it>
//   X-Vigil-Event:     trigger | resolve | reminder

#include "alerts/notification.h"
#include "alerts/outbound_request.h"

namespace vigil {

OutboundRequest signedWebhookRequest(const Notification &notification, const QString &url, const QByteArray &signingKey,
                                     std::int64_t nowMs);

// The signature header's value for `body` sent at `timestampSeconds`.
QByteArray webhookSignature(const QByteArray &signingKey, const QByteArray &timestampSeconds, const QByteArray &body);

} // namespace vigil
