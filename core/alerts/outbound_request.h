#pragma once
// What a notifier sends: an HTTP POST (PagerDuty, Slack, webhook) built as a
// value from the notification, so each format is tested without a socket.

#include <QByteArray>
#include <QUrl>

#include <utility>
#include <vector>

namespace vigil {

struct OutboundRequest
{
    QUrl url;
    QByteArray body;
    std::vector<std::pair<QByteArray, QByteArray>> headers; // Content-Type included
};

} // namespace vigil
