#include "alerts/alert_state_machine.h"

namespace vigil {

AlertStep advanceAlert(const AlertState &current, const AlertTiming &timing, const Observation *observation,
                       bool silenced, std::int64_t nowMs)
{
    AlertStep step;
    step.next = current;
    AlertState &s = step.next;
    const bool breaching = observation && observation->breaching;
    const auto record = [&](const char *event) { step.history.emplace_back(event); };

    if (s.phase == AlertPhase::Inactive && breaching) {
        ++s.episode;
        s.phase = AlertPhase::Pending;
        s.pendingSinceMs = nowMs;
        s.firingSinceMs = 0;
        s.resolvedAtMs = 0;
        s.lastNotifiedMs = 0;
        s.triggerQueued = false;
        s.acknowledged.reset();
        record("pending");
    }
    if (breaching)
        s.lastTrueMs = nowMs;
    if (observation && (breaching || s.phase != AlertPhase::Inactive)) {
        // The figures of a firing alert stay those of its last breach, so a
        // resolve tells what it was, not the harmless value that ended it.
        if (breaching || s.phase == AlertPhase::Pending) {
            s.value = observation->value;
            s.threshold = observation->threshold;
            s.summary = observation->summary;
            s.detailsJson = observation->detailsJson;
            s.severity = observation->severity;
        }
    }

    if (s.phase == AlertPhase::Pending) {
        if (!breaching) {
            s.phase = AlertPhase::Inactive;
            record("cleared");
        } else if (nowMs - s.pendingSinceMs >= timing.forMs) {
            s.phase = AlertPhase::Firing;
            s.firingSinceMs = nowMs;
            record("firing");
        }
    } else if (s.phase == AlertPhase::Firing && !breaching && nowMs - s.lastTrueMs >= timing.keepFiringForMs) {
        s.phase = AlertPhase::Inactive;
        s.resolvedAtMs = nowMs;
        record("resolved");
        if (s.triggerQueued) {
            step.notifications.emplace_back("resolve");
            s.lastNotifiedMs = nowMs;
        }
    }

    if (s.phase == AlertPhase::Firing && !silenced) {
        if (!s.triggerQueued) {
            step.notifications.emplace_back("trigger");
            s.triggerQueued = true;
            s.lastNotifiedMs = nowMs;
        } else if (timing.repeatIntervalMs > 0 && !s.acknowledged &&
                   nowMs - s.lastNotifiedMs >= timing.repeatIntervalMs) {
            step.notifications.emplace_back("reminder");
            record("reminder");
            s.lastNotifiedMs = nowMs;
        }
    }

    step.changed = !step.history.empty() || !step.notifications.empty() || current.phase != AlertPhase::Inactive ||
                   s.phase != AlertPhase::Inactive;
    if (step.changed)
        s.updatedAtMs = nowMs;
    return step;
}

} // namespace vigil
