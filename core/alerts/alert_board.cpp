#include "alerts/alert_board.h"

#include "alerts/alert_evaluator.h"
#include "runbooks/runbook_library.h"
#include "store/cost_cap_store.h"
#include "store/metrics_reader.h"

#include <algorithm>

namespace vigil {

namespace {

constexpr std::int64_t kLongestSilenceMs = 30 * 86'400'000LL;

// "tenant=acme,level=page" -> tenant acme on the filter.
void addGroupLabels(const std::string &group, LabelFilter &filter)
{
    std::size_t start = 0;
    while (start < group.size()) {
        const std::size_t end = std::min(group.find(',', start), group.size());
        const std::string part = group.substr(start, end - start);
        const std::size_t eq = part.find('=');
        if (eq != std::string::npos) {
            const std::string name = part.substr(0, eq);
            const std::string value = part.substr(eq + 1);
            if (name == "tenant")
                filter.tenant = value;
            else if (name == "model")
                filter.model = value;
            else if (name == "provider")
                filter.provider = value;
            else if (name == "prompt")
                filter.promptName = value;
        }
        start = end + 1;
    }
}

DashboardFocus focusOf(const AlertState &state, const AlertRule &rule, std::int64_t nowMs)
{
    DashboardFocus f;
    f.filter = rule.filter;
    addGroupLabels(state.group, f.filter);
    const std::int64_t began = state.pendingSinceMs ? state.pendingSinceMs : nowMs;
    const std::int64_t lead = std::max<std::int64_t>(rule.windowMs, 15 * 60'000);
    const std::int64_t end = state.phase == AlertPhase::Inactive && state.resolvedAtMs ? state.resolvedAtMs + lead : nowMs;
    f.window = {began - 2 * lead, std::max(end, began + 60'000)};
    return f;
}

} // namespace

struct AlertBoard::Impl
{
    std::string path;
    AlertSetup setup;
    AlertStore alerts;
    AlertOutbox outbox;
    CostCapStore caps;
    MetricsReader metrics;

    Impl(const std::string &p, AlertSetup s)
        : path(p), setup(std::move(s)), alerts(p), outbox(p), caps(p), metrics(p)
    {
    }

    EffectiveCaps effective() { return effectiveCaps(setup.config.costs, setup.costsFrom, caps.overrides()); }

    AlertView view(const AlertState &state, const std::vector<Silence> &silences, std::int64_t nowMs) const
    {
        AlertView v;
        v.state = state;
        const AlertRule rule = ruleForAlert(setup.config, state);
        v.description = rule.description;
        for (const Silence &s : silences) {
            if (s.activeAt(nowMs) && (s.target == state.dedupKey || s.target == state.rule)) {
                v.silenced = true;
                v.silence = s;
                break;
            }
        }
        v.runbookUrl = runbookUrl(state.type, setup.config.settings.runbookBaseUrl);
        v.focus = focusOf(state, rule, nowMs);
        return v;
    }
};

AlertBoard::AlertBoard(const std::string &storePath, AlertSetup setup)
    : m_impl(std::make_unique<Impl>(storePath, std::move(setup)))
{
}

AlertBoard::~AlertBoard() = default;

const AlertSetup &AlertBoard::setup() const
{
    return m_impl->setup;
}

AlertOverview AlertBoard::overview(std::int64_t nowMs, std::int64_t historyMs)
{
    AlertOverview o;
    o.nowMs = nowMs;
    o.silences = m_impl->alerts.silences(nowMs);
    for (const AlertState &s : m_impl->alerts.states()) {
        if (s.phase == AlertPhase::Inactive)
            continue;
        AlertView v = m_impl->view(s, o.silences, nowMs);
        if (v.silenced)
            o.silenced.push_back(std::move(v));
        else if (s.phase == AlertPhase::Firing)
            o.firing.push_back(std::move(v));
        else
            o.pending.push_back(std::move(v));
        if (s.type == AlertType::NotificationFailed && s.phase == AlertPhase::Firing)
            o.notificationFailing = true;
    }
    std::sort(o.firing.begin(), o.firing.end(), [](const AlertView &a, const AlertView &b) {
        if (a.state.severity != b.state.severity)
            return a.state.severity > b.state.severity;
        return a.state.firingSinceMs < b.state.firingSinceMs;
    });
    AlertHistoryFilter filter;
    filter.fromMs = nowMs - historyMs;
    o.history = m_impl->alerts.history(filter);
    o.destinations = m_impl->outbox.destinations();
    o.outbox = m_impl->outbox.counts();
    o.lease = m_impl->alerts.lease();
    return o;
}

std::vector<AlertHistoryEntry> AlertBoard::history(const AlertHistoryFilter &filter)
{
    return m_impl->alerts.history(filter);
}

std::vector<AlertHistoryEntry> AlertBoard::markers(const TimeWindow &window)
{
    AlertHistoryFilter filter;
    filter.fromMs = window.fromMs;
    filter.toMs = window.toMs;
    filter.events = {"firing", "resolved"};
    filter.limit = 5000;
    auto out = m_impl->alerts.history(filter);
    std::reverse(out.begin(), out.end());
    return out;
}

AlertState AlertBoard::acknowledge(const std::string &dedupKey, const std::string &reason, const Actor &actor,
                                   std::int64_t nowMs)
{
    const AlertConfig &config = m_impl->setup.config;
    return m_impl->alerts.acknowledge(dedupKey, reason, actor, nowMs, [&](const AlertState &state) {
        if (!state.triggerQueued)
            return std::vector<OutboxMessage>{}; // it never paged: nothing to mirror
        return AlertEvaluator::outboxMessages(config, ruleForAlert(config, state), state, "acknowledge", nowMs, nowMs);
    });
}

Silence AlertBoard::silence(const std::string &target, std::int64_t durationMs, const std::string &reason,
                            const Actor &actor, std::int64_t nowMs)
{
    if (durationMs < 60'000 || durationMs > kLongestSilenceMs)
        throw AlertActionRefused("a silence lasts from 1 minute to 30 days");
    if (reason.empty())
        throw AlertActionRefused("a silence needs a reason (it is shown to everyone who sees the alert)");
    const bool isRule = m_impl->setup.config.rule(target) || target == "notification-failed";
    if (!isRule && !m_impl->alerts.state(target))
        throw AlertActionRefused("no alert has the key \"" + target + "\" and no rule has that name");
    return m_impl->alerts.addSilence(target, nowMs, nowMs + durationMs, reason, actor);
}

Silence AlertBoard::unsilence(std::int64_t id, const std::string &reason, const Actor &actor, std::int64_t nowMs)
{
    return m_impl->alerts.endSilence(id, reason, actor, nowMs);
}

CostOverview AlertBoard::costs(std::int64_t nowMs)
{
    CostOverview c;
    c.caps = m_impl->effective();
    c.spend = spendToday(m_impl->metrics, c.caps, nowMs);
    c.reviewsOverdue = capReviewFindings(c.caps, m_impl->setup.costsFrom, costDate(nowMs, c.caps.zone));
    return c;
}

CapOverride AlertBoard::setCap(CapScope scope, const std::string &tenant, double usd, const QDate &reviewedOn,
                               const std::string &reason, const Actor &actor, std::int64_t nowMs)
{
    const EffectiveCaps caps = m_impl->effective();
    const std::string problem = validateCapEdit(usd, reviewedOn, costDate(nowMs, caps.zone), tenant, scope);
    if (!problem.empty())
        throw CapEditRefused(problem);
    std::optional<double> previous;
    if (scope == CapScope::Daily && caps.daily)
        previous = caps.daily->usd;
    else if (scope == CapScope::TenantDefault && caps.tenantDefault)
        previous = caps.tenantDefault->usd;
    else if (scope == CapScope::Tenant) {
        if (const auto cap = caps.capFor(tenant))
            previous = cap->usd;
    }
    CapOverride cap;
    cap.scope = scope;
    cap.tenant = tenant;
    cap.usd = usd;
    cap.reviewedOn = reviewedOn;
    cap.reason = reason;
    return m_impl->caps.set(cap, previous, actor, nowMs);
}

bool AlertBoard::resetCap(CapScope scope, const std::string &tenant, const std::string &reason, const Actor &actor,
                          std::int64_t nowMs)
{
    return m_impl->caps.reset(scope, tenant, reason, actor, nowMs);
}

} // namespace vigil
