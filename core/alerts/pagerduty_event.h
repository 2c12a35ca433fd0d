#pragma once
// PagerDuty Events API v2: trigger (also for reminders), acknowledge and
// resolve under the alert's stable dedup_key; summary cut to 1024
// characters, the figures in custom_details, the runbook in links, and the
// whole event kept under PagerDuty's 512 KB.

#include "alerts/notification.h"
#include "alerts/outbound_request.h"

#include <QString>

namespace vigil {

inline constexpr int kPagerDutySummaryLimit = 1024;
inline constexpr qsizetype kPagerDutyPayloadLimit = 512 * 1024;

OutboundRequest pagerDutyRequest(const Notification &notification, const QString &endpoint, const QString &routingKey);

// "[FIRING] ..." cut to `limit` characters with an ellipsis.
QString cutText(const QString &text, int limit);

} // namespace vigil
