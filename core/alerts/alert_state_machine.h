#pragma once
// One alert's life, as a pure function of its stored state, the rule's
// timing and what the evaluator measured now: no store, no clock. Whatever
// it returns is written in one transaction, so a restart resumes exactly
// where the last evaluation left off and never pages an episode twice.

#include "alerts/alert_records.h"

#include <string>
#include <vector>

namespace vigil {

struct AlertTiming
{
    std::int64_t forMs = 0;
    std::int64_t keepFiringForMs = 0;
    std::int64_t repeatIntervalMs = 0;
};

// What a rule measured for one group now.
struct Observation
{
    std::string group;
    bool breaching = false;
    double value = 0;
    double threshold = 0;
    Severity severity = Severity::Critical;
    std::string summary;
    std::string detailsJson = "{}";
};

struct AlertStep
{
    AlertState next;
    std::vector<std::string> history;       // events for alert_history, in order
    std::vector<std::string> notifications; // "trigger", "resolve", "reminder"
    bool changed = false;                   // `next` must be written
};

// pending -> firing after the condition held `forMs`; firing -> resolved
// once it has been gone for `keepFiringForMs` (hysteresis: a signal that
// flaps inside that time stays one episode, one trigger, one resolve).
// A trigger is queued once per episode, when firing and not silenced (a
// silence that ends while the alert still fires lets it page then); a
// resolve only follows a queued trigger; reminders every repeatIntervalMs
// while firing, unless acknowledged or silenced. `observation` is null when
// the rule measured nothing for this group (no traffic): not breaching.
AlertStep advanceAlert(const AlertState &current, const AlertTiming &timing, const Observation *observation,
                       bool silenced, std::int64_t nowMs);

} // namespace vigil
