#include "alerts/alert_evaluator.h"

#include "alerts/alert_state_machine.h"
#include "alerts/dedup_key.h"
#include "alerts/notification.h"
#include "alerts/rule_measurement.h"
#include "metrics/time_window.h"
#include "runbooks/runbook_library.h"
#include "store/alert_outbox_store.h"
#include "store/alert_store.h"
#include "store/cost_cap_store.h"
#include "store/metrics_reader.h"
#include "store/prompt_activation_store.h"
#include "store/store_error.h"

#include <QUuid>

#include <map>
#include <set>

namespace vigil {

namespace {

AlertHistoryEntry historyEntry(const AlertState &a, const std::string &event, std::int64_t atMs)
{
    AlertHistoryEntry e;
    e.atMs = atMs;
    e.dedupKey = a.dedupKey;
    e.rule = a.rule;
    e.type = a.type;
    e.group = a.group;
    e.episode = a.episode;
    e.event = event;
    e.severity = a.severity;
    e.value = a.value;
    e.threshold = a.threshold;
    e.summary = a.summary;
    return e;
}

bool silencedNow(const std::vector<Silence> &silences, const AlertState &alert, std::int64_t nowMs)
{
    for (const Silence &s : silences) {
        if (s.activeAt(nowMs) && (s.target == alert.dedupKey || s.target == alert.rule))
            return true;
    }
    return false;
}

} // namespace

AlertRule ruleForAlert(const AlertConfig &config, const AlertState &alert)
{
    if (const AlertRule *rule = config.rule(alert.rule))
        return *rule;
    if (alert.type == AlertType::NotificationFailed)
        return notificationFailedRule(config.settings);
    AlertRule gone;
    gone.name = alert.rule;
    gone.type = alert.type;
    gone.severity = alert.severity;
    return gone;
}

struct AlertEvaluator::Impl
{
    Options options;
    AlertStore alerts;
    MetricsReader metrics;
    CostCapStore caps;
    AlertOutbox outbox;
    PromptActivationStore activations;

    explicit Impl(Options o)
        : options(std::move(o)), alerts(options.storePath), metrics(options.storePath),
          caps(options.storePath, CostCapStore::Access::ReadOnly),
          outbox(options.storePath, AlertOutbox::Access::ReadOnly),
          activations(options.storePath, PromptActivationStore::Access::ReadOnly)
    {
        if (options.holderId.empty())
            options.holderId = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        if (!options.wallClock)
            options.wallClock = [] { return currentTimeMs(); };
    }
};

AlertEvaluator::AlertEvaluator(Options options) : m_impl(std::make_unique<Impl>(std::move(options))) {}

AlertEvaluator::~AlertEvaluator() = default;

const std::string &AlertEvaluator::holderId() const
{
    return m_impl->options.holderId;
}

const AlertConfig &AlertEvaluator::config() const
{
    return m_impl->options.config;
}

void AlertEvaluator::releaseLease()
{
    m_impl->alerts.releaseLease(m_impl->options.holderId);
}

std::vector<const DestinationConfig *> AlertEvaluator::route(const AlertConfig &config, const AlertRule &rule,
                                                            const AlertState &alert)
{
    std::vector<const DestinationConfig *> out;
    if (alert.type == AlertType::NotificationFailed) {
        // Every destination but the one that fails: it would not hear it.
        const std::string failing = alert.group.starts_with("destination=") ? alert.group.substr(12) : std::string();
        for (const DestinationConfig &d : config.destinations) {
            if (d.name != failing)
                out.push_back(&d);
        }
        return out;
    }
    for (const DestinationConfig &d : config.destinations) {
        const bool named = rule.destinations.empty() ||
                           std::find(rule.destinations.begin(), rule.destinations.end(), d.name) != rule.destinations.end();
        if (named && alert.severity >= d.minSeverity)
            out.push_back(&d);
    }
    return out;
}

std::vector<OutboxMessage> AlertEvaluator::outboxMessages(const AlertConfig &config, const AlertRule &rule,
                                                          const AlertState &alert, const std::string &event,
                                                          std::int64_t eventAtMs, std::int64_t wallMs)
{
    const Notification n = notificationFor(alert, event, eventAtMs, runbookUrl(alert.type, config.settings.runbookBaseUrl),
                                           config.settings.instance);
    const std::string payload = n.toJsonBytes().toStdString();
    std::vector<OutboxMessage> out;
    for (const DestinationConfig *d : route(config, rule, alert)) {
        if (event == "acknowledge" && d->type != DestinationType::PagerDuty)
            continue; // only PagerDuty has an acknowledged state to mirror
        OutboxMessage m;
        m.destination = d->name;
        m.dedupKey = alert.dedupKey;
        m.episode = alert.episode;
        m.event = event;
        m.messageId = n.messageId;
        m.payloadJson = payload;
        m.createdAtMs = wallMs;
        m.nextAttemptAtMs = wallMs;
        out.push_back(std::move(m));
    }
    return out;
}

AlertEvaluator::Result AlertEvaluator::evaluate(std::int64_t nowMs)
{
    Impl &d = *m_impl;
    const AlertConfig &config = d.options.config;
    Result result;
    result.evaluatedAtMs = nowMs;
    const std::int64_t wall = d.options.wallClock();
    if (!d.alerts.acquireLease(d.options.holderId, wall, config.settings.leaseMs))
        return result;
    result.leaseHeld = true;
    result.evaluations = 1;

    std::map<std::string, AlertState> states;
    for (AlertState &s : d.alerts.states())
        states.emplace(s.dedupKey, std::move(s));
    const std::vector<Silence> silences = d.alerts.silences(nowMs);
    const EffectiveCaps caps = effectiveCaps(config.costs, d.options.configFile, d.caps.overrides());
    const std::vector<PromptActivation> activations = d.activations.activeSet();
    const std::vector<DestinationHealth> destinations = d.outbox.destinations();
    MeasureInputs inputs{d.metrics, caps, activations, destinations, config.settings, d.options.regression};

    std::vector<AlertRule> rules = config.rules;
    rules.push_back(notificationFailedRule(config.settings));
    EvaluationWrite write;
    write.leaseHolder = d.options.holderId;
    write.evaluatedAtMs = nowMs;
    write.wallMs = wall;
    write.leaseMs = config.settings.leaseMs;

    std::set<std::string> seen;
    const auto advance = [&](const AlertRule &rule, AlertState current, const Observation *observation) {
        const AlertTiming timing{rule.forMs, rule.keepFiringForMs, rule.repeatIntervalMs};
        const AlertStep step = advanceAlert(current, timing, observation, silencedNow(silences, current, nowMs), nowMs);
        if (!step.changed)
            return;
        for (const std::string &event : step.history)
            write.history.push_back(historyEntry(step.next, event, nowMs));
        for (const std::string &event : step.notifications) {
            for (OutboxMessage &m : outboxMessages(config, rule, step.next, event, nowMs, wall))
                write.outbox.push_back(std::move(m));
        }
        write.states.push_back(step.next);
    };

    for (const AlertRule &rule : rules) {
        std::vector<Observation> observations;
        try {
            observations = measureRule(rule, inputs, nowMs);
        } catch (const StoreError &e) {
            result.ruleErrors.push_back("rule \"" + rule.name + "\": " + e.what());
            for (const auto &[key, state] : states) {
                if (state.rule == rule.name)
                    seen.insert(key); // left as it was
            }
            continue;
        }
        for (const Observation &o : observations) {
            const std::string key = alertDedupKey(config.settings.instance, rule.name, o.group);
            seen.insert(key);
            AlertState current;
            if (const auto it = states.find(key); it != states.end()) {
                current = it->second;
            } else {
                current.dedupKey = key;
                current.rule = rule.name;
                current.type = rule.type;
                current.group = o.group;
                current.severity = o.severity;
            }
            advance(rule, current, &o);
        }
    }
    // Alerts nothing measured this time (no traffic in the group, a rule
    // since removed): not breaching.
    for (const auto &[key, state] : states) {
        if (!seen.count(key) && state.phase != AlertPhase::Inactive)
            advance(ruleForAlert(config, state), state, nullptr);
    }

    if (!d.alerts.writeEvaluation(write)) {
        result.leaseHeld = false;
        return result;
    }
    result.events = static_cast<int>(write.history.size());
    result.notificationsQueued = static_cast<int>(write.outbox.size());
    return result;
}

AlertEvaluator::Result AlertEvaluator::catchUp(std::int64_t nowMs)
{
    const AlertSettings &settings = m_impl->options.config.settings;
    const std::int64_t step = std::max<std::int64_t>(settings.evaluateEveryMs, 60'000);
    std::int64_t from = nowMs;
    if (settings.catchUpMs > 0) {
        const auto lease = m_impl->alerts.lease();
        const std::int64_t earliest = nowMs - settings.catchUpMs;
        from = lease && lease->lastEvaluatedAtMs ? std::max(*lease->lastEvaluatedAtMs + step, earliest) : earliest;
    }
    Result total;
    for (std::int64_t t = from; t < nowMs; t += step) {
        const Result r = evaluate(t);
        if (!r.leaseHeld)
            return r;
        total.evaluations += r.evaluations;
        total.events += r.events;
        total.notificationsQueued += r.notificationsQueued;
        total.ruleErrors.insert(total.ruleErrors.end(), r.ruleErrors.begin(), r.ruleErrors.end());
    }
    const Result last = evaluate(nowMs);
    total.leaseHeld = last.leaseHeld;
    total.evaluatedAtMs = nowMs;
    total.evaluations += last.evaluations;
    total.events += last.events;
    total.notificationsQueued += last.notificationsQueued;
    total.ruleErrors.insert(total.ruleErrors.end(), last.ruleErrors.begin(), last.ruleErrors.end());
    return total;
}

} // namespace vigil
