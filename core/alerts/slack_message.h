#pragma once
// Slack incoming webhook: one message per event, the summary and the runbook link.

#include "alerts/notification.h"
#include "alerts/outbound_request.h"

namespace vigil {

OutboundRequest slackRequest(const Notification &notification, const QString &webhookUrl);

} // namespace vigil
