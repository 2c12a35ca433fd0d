#include "alerts/alert_config_toml.h"

#include "metrics/time_window.h"

#include <QTimeZone>

#include <cmath>
#include <set>

namespace vigil {

namespace {

// The reading context of one table: where problems go and how they are named.
struct Reader
{
    const toml::table &table;
    std::string section; // "alerts.rules[2]" for messages
    const std::string &file;
    std::vector<ConfigProblem> &problems;

    static int lineOf(const toml::node &node) { return static_cast<int>(node.source().begin.line); }

    void problem(const toml::node &node, const std::string &message) const
    {
        problems.push_back({file, lineOf(node), message});
    }
    std::string key(const char *name) const { return section + "." + name; }

    void checkKeys(const std::set<std::string> &known) const
    {
        for (const auto &[k, node] : table) {
            if (!known.count(std::string(k.str())))
                problem(node, "unknown key \"" + std::string(k.str()) + "\" in [" + section + "]");
        }
    }

    std::optional<std::string> string(const char *name) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        if (!node->is_string()) {
            problem(*node, key(name) + " must be a string");
            return std::nullopt;
        }
        return node->value<std::string>();
    }

    // "90s", "15m", "1h": at least `minMs`.
    std::optional<std::int64_t> duration(const char *name, std::int64_t minMs, const char *example) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        const auto text = node->value<std::string>();
        const auto ms = text ? parseDurationMs(*text) : std::nullopt;
        if (!node->is_string() || !ms || *ms < minMs) {
            problem(*node, key(name) + " must be a duration of at least " + formatMinimum(minMs) + ", e.g. \"" +
                               example + "\"");
            return std::nullopt;
        }
        return ms;
    }

    // A duration that may be zero ("0s" or 0).
    std::optional<std::int64_t> durationOrZero(const char *name, const char *example) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        if (const auto zero = node->value<long long>(); zero && *zero == 0 && node->is_integer())
            return 0;
        const std::string text = node->value<std::string>().value_or(std::string());
        if (text == "0" || text == "0s" || text == "0m")
            return 0;
        return duration(name, 1000, example);
    }

    std::optional<double> number(const char *name, double min, double max, const std::string &rangeText) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        const auto v = (node->is_integer() || node->is_floating_point()) ? node->value<double>() : std::nullopt;
        if (!v || !std::isfinite(*v) || *v < min || *v > max) {
            problem(*node, key(name) + " must be a number " + rangeText);
            return std::nullopt;
        }
        return v;
    }

    std::optional<std::vector<std::string>> strings(const char *name) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        const toml::array *list = node->as_array();
        std::vector<std::string> out;
        if (list) {
            for (const toml::node &item : *list) {
                if (!item.is_string()) {
                    list = nullptr;
                    break;
                }
                out.push_back(*item.value<std::string>());
            }
        }
        if (!list) {
            problem(*node, key(name) + " must be a list of strings, e.g. [\"a\", \"b\"]");
            return std::nullopt;
        }
        return out;
    }

    // A TOML date (2026-01-15) or the same as a string.
    std::optional<QDate> date(const char *name) const
    {
        const toml::node *node = table.get(name);
        if (!node)
            return std::nullopt;
        QDate d;
        if (const auto *value = node->as_date()) {
            const toml::date t = value->get();
            d = QDate(t.year, t.month, t.day);
        } else if (const auto text = node->value<std::string>()) {
            d = QDate::fromString(QString::fromStdString(*text), Qt::ISODate);
        }
        if (!d.isValid()) {
            problem(*node, key(name) + " must be a date, e.g. 2026-01-15");
            return std::nullopt;
        }
        return d;
    }

    void secretReference(const char *name, std::string &out, bool required, const char *what) const
    {
        const toml::node *node = table.get(name);
        if (!node) {
            if (required)
                problem(table, "[" + section + "] needs " + name + " = \"env:VARIABLE\" (or \"keychain:ENTRY\"): " +
                                   "where the " + what + " is kept");
            return;
        }
        const auto text = node->value<std::string>();
        if (!text || !isSecretReference(*text)) {
            problem(*node, key(name) + " must say where the " + what + " is kept, \"env:VARIABLE\" or " +
                               "\"keychain:ENTRY\": secrets are never written into vigil.toml");
            return;
        }
        out = *text;
    }

    static std::string formatMinimum(std::int64_t ms)
    {
        if (ms % 60'000 == 0)
            return std::to_string(ms / 60'000) + (ms == 60'000 ? " minute" : " minutes");
        return std::to_string(ms / 1000) + (ms == 1000 ? " second" : " seconds");
    }
};

std::optional<GroupBy> alertGrouping(std::string_view name)
{
    if (name == "tenant")
        return GroupBy::Tenant;
    if (name == "model")
        return GroupBy::Model;
    if (name == "provider")
        return GroupBy::Provider;
    if (name == "prompt")
        return GroupBy::Prompt;
    return std::nullopt;
}

void readThreshold(const Reader &r, AlertRule &rule)
{
    const toml::node *node = r.table.get("threshold");
    const std::string type(alertTypeName(rule.type));
    if (isCostType(rule.type) || rule.type == AlertType::PromptRegression) {
        if (node)
            r.problem(*node, type + (isCostType(rule.type)
                                         ? " rules take their ceiling from [costs] (daily_cap_usd, tenant caps), not a threshold"
                                         : " rules take their margins from [prompts] regression_*, not a threshold"));
        return;
    }
    if (!node) {
        r.problem(r.table, "[" + r.section + "] (" + type + ") needs a threshold");
        return;
    }
    switch (rule.type) {
    case AlertType::LatencyP95: {
        std::optional<double> ms;
        if (node->is_integer() || node->is_floating_point())
            ms = node->value<double>();
        else if (const auto text = node->value<std::string>(); text && parseDurationMs(*text))
            ms = static_cast<double>(*parseDurationMs(*text));
        if (!ms || !std::isfinite(*ms) || *ms <= 0)
            r.problem(*node, r.key("threshold") + " of a latency_p95 rule is milliseconds (2500) or a duration (\"2500ms\", \"3s\")");
        else
            rule.threshold = *ms;
        break;
    }
    case AlertType::IngestStalled: {
        const auto text = node->value<std::string>();
        const auto ms = text ? parseDurationMs(*text) : std::nullopt;
        if (!node->is_string() || !ms || *ms < 60'000)
            r.problem(*node, r.key("threshold") + " of an ingest_stalled rule is how long without records, a duration of at least a minute (\"15m\")");
        else
            rule.threshold = static_cast<double>(*ms);
        break;
    }
    default: {
        const auto v = (node->is_integer() || node->is_floating_point()) ? node->value<double>() : std::nullopt;
        if (!v || !std::isfinite(*v) || *v <= 0 || *v > 1)
            r.problem(*node, r.key("threshold") + " of a " + type + " rule is a share of requests above 0 and at most 1 (0.05 = 5%)");
        else
            rule.threshold = *v;
    }
    }
}

void readRule(const toml::node &node, std::size_t index, const std::string &file, AlertConfig &out,
              std::vector<ConfigProblem> &problems)
{
    const toml::table *t = node.as_table();
    if (!t) {
        problems.push_back({file, Reader::lineOf(node), "each [[alerts.rules]] entry must be a table"});
        return;
    }
    Reader r{*t, "alerts.rules[" + std::to_string(index + 1) + "]", file, problems};
    r.checkKeys({"name", "type", "window", "threshold", "for", "keep_firing_for", "repeat_interval", "tenant",
                 "model", "provider", "prompt", "group_by", "min_requests", "severity", "destinations",
                 "description"});
    AlertRule rule;
    rule.line = Reader::lineOf(node);
    const std::size_t before = problems.size();
    const auto name = r.string("name");
    if (!name || name->empty() || name->size() > 100 ||
        name->find_first_of(" /\t\n:") != std::string::npos) {
        r.problem(t->get("name") ? *t->get("name") : node,
                  "[" + r.section + "] needs a name: 1-100 characters without spaces, '/' or ':' (\"anthropic-errors\")");
    } else {
        rule.name = *name;
        r.section = "alerts.rules \"" + rule.name + "\"";
    }
    const auto typeName = r.string("type");
    const auto type = typeName ? alertTypeFromName(*typeName) : std::nullopt;
    if (!type || *type == AlertType::NotificationFailed) {
        std::string known;
        for (AlertType candidate : allAlertTypes()) {
            if (candidate == AlertType::NotificationFailed)
                continue;
            known += (known.empty() ? "" : ", ") + std::string(alertTypeName(candidate));
        }
        r.problem(t->get("type") ? *t->get("type") : node,
                  type ? std::string("notification_failed alerts are built in: set [alerts] notification_failed_after instead")
                       : "[" + r.section + "] needs type = one of " + known);
        return;
    }
    rule.type = *type;
    if (const auto w = r.duration("window", 60'000, "5m"))
        rule.windowMs = *w;
    else if (rule.type == AlertType::PromptRegression)
        rule.windowMs = 15 * 60'000;
    readThreshold(r, rule);
    rule.forMs = r.durationOrZero("for", "5m").value_or(0);
    rule.keepFiringForMs = r.durationOrZero("keep_firing_for", "10m").value_or(0);
    rule.repeatIntervalMs = r.durationOrZero("repeat_interval", "4h").value_or(0);
    if (rule.repeatIntervalMs > 0 && rule.repeatIntervalMs < 5 * 60'000)
        r.problem(*t->get("repeat_interval"), r.key("repeat_interval") + " must be at least 5 minutes (or 0 for no reminders)");

    const bool labelled = rule.type != AlertType::IngestStalled && rule.type != AlertType::CostDaily;
    for (const char *label : {"tenant", "model", "provider", "prompt"}) {
        const auto value = r.string(label);
        if (!value)
            continue;
        if (!labelled) {
            r.problem(*t->get(label), std::string(alertTypeName(rule.type)) + " rules watch all records: no " + label + " filter");
            continue;
        }
        const std::string l(label);
        if (l == "tenant")
            rule.filter.tenant = value;
        else if (l == "model")
            rule.filter.model = value;
        else if (l == "provider")
            rule.filter.provider = value;
        else
            rule.filter.setPrompt(*value);
    }
    if (const auto g = r.string("group_by")) {
        const auto grouping = alertGrouping(*g);
        if (!grouping)
            r.problem(*t->get("group_by"), r.key("group_by") + " must be \"tenant\", \"model\", \"provider\" or \"prompt\"");
        else if (!labelled || rule.type == AlertType::CostTenant || rule.type == AlertType::PromptRegression)
            r.problem(*t->get("group_by"), std::string(alertTypeName(rule.type)) +
                                               " rules group by themselves (per tenant, per prompt) or not at all: no group_by");
        else
            rule.groupBy = *grouping;
    }
    if (const auto n = r.number("min_requests", 1, 1e9, "from 1 to 1000000000"))
        rule.minRequests = static_cast<std::uint64_t>(*n);
    if (const auto s = r.string("severity")) {
        if (const auto severity = severityFromName(*s))
            rule.severity = *severity;
        else
            r.problem(*t->get("severity"), r.key("severity") + " must be \"critical\", \"error\", \"warning\" or \"info\"");
    }
    if (const auto d = r.strings("destinations"))
        rule.destinations = *d;
    rule.description = r.string("description").value_or(std::string());
    if (problems.size() != before)
        return;
    if (out.rule(rule.name)) {
        r.problem(node, "a rule named \"" + rule.name + "\" is already defined: names must be unique (they are part of the dedup key)");
        return;
    }
    out.rules.push_back(std::move(rule));
}

void readDestination(const toml::node &node, std::size_t index, const std::string &file, AlertConfig &out,
                     std::vector<ConfigProblem> &problems)
{
    const toml::table *t = node.as_table();
    if (!t) {
        problems.push_back({file, Reader::lineOf(node), "each [[alerts.destinations]] entry must be a table"});
        return;
    }
    Reader r{*t, "alerts.destinations[" + std::to_string(index + 1) + "]", file, problems};
    const std::size_t before = problems.size();
    DestinationConfig d;
    d.line = Reader::lineOf(node);
    const auto name = r.string("name");
    if (!name || name->empty() || name->size() > 64 || name->find_first_of(" /\t\n:") != std::string::npos)
        r.problem(t->get("name") ? *t->get("name") : node,
                  "[" + r.section + "] needs a name: 1-64 characters without spaces, '/' or ':' (\"oncall\")");
    else
        d.name = *name;
    const auto typeName = r.string("type");
    std::set<std::string> keys = {"name", "type", "min_severity", "rate_limit_per_minute", "timeout"};
    if (typeName == "pagerduty") {
        d.type = DestinationType::PagerDuty;
        d.ratePerMinute = 120;
        keys.insert({"endpoint", "routing_key"});
        d.endpoint = r.string("endpoint").value_or("https://events.pagerduty.com/v2/enqueue");
        r.secretReference("routing_key", d.secretRef, true, "PagerDuty routing key");
    } else if (typeName == "slack") {
        d.type = DestinationType::Slack;
        d.ratePerMinute = 60;
        keys.insert("webhook_url");
        r.secretReference("webhook_url", d.secretRef, true, "Slack incoming-webhook URL");
    } else if (typeName == "webhook") {
        d.type = DestinationType::Webhook;
        d.ratePerMinute = 600;
        keys.insert({"url", "signing_key"});
        r.secretReference("url", d.secretRef, true, "webhook URL");
        r.secretReference("signing_key", d.signingKeyRef, true, "HMAC-SHA256 signing key");
    } else if (typeName == "command") {
        d.type = DestinationType::Command;
        d.ratePerMinute = 600;
        keys.insert("command");
        const auto argv = r.strings("command");
        if (!argv || argv->empty() || argv->front().empty())
            r.problem(t->get("command") ? *t->get("command") : node,
                      "[" + r.section + "] needs command = [\"/path/to/program\", \"arg\", ...] (the event JSON arrives on stdin)");
        else
            d.command = *argv;
    } else {
        r.problem(t->get("type") ? *t->get("type") : node,
                  "[" + r.section + "] needs type = \"pagerduty\", \"slack\", \"webhook\" or \"command\"");
        return;
    }
    r.checkKeys(keys);
    if (!d.endpoint.empty() && !(d.endpoint.starts_with("https://") || d.endpoint.starts_with("http://")))
        r.problem(*t->get("endpoint"), r.key("endpoint") + " must be an http:// or https:// URL");
    if (const auto s = r.string("min_severity")) {
        if (const auto severity = severityFromName(*s))
            d.minSeverity = *severity;
        else
            r.problem(*t->get("min_severity"), r.key("min_severity") + " must be \"critical\", \"error\", \"warning\" or \"info\"");
    }
    if (const auto n = r.number("rate_limit_per_minute", 1, 6000, "from 1 to 6000"))
        d.ratePerMinute = static_cast<int>(*n);
    if (const auto ms = r.duration("timeout", 1000, "10s"))
        d.timeoutMs = std::min<std::int64_t>(*ms, 300'000);
    if (problems.size() != before)
        return;
    if (out.destination(d.name)) {
        r.problem(node, "a destination named \"" + d.name + "\" is already defined");
        return;
    }
    out.destinations.push_back(std::move(d));
}

void readAlerts(const toml::table &t, const std::string &file, AlertConfig &out, std::vector<ConfigProblem> &problems)
{
    Reader r{t, "alerts", file, problems};
    r.checkKeys({"evaluate_every", "catch_up", "instance", "runbook_base_url", "notification_failed_after",
                 "retry_base_delay", "retry_max_delay", "give_up_after", "lease", "rules", "destinations"});
    AlertSettings &s = out.settings;
    s.evaluateEveryMs = r.duration("evaluate_every", 5'000, "30s").value_or(s.evaluateEveryMs);
    s.catchUpMs = r.durationOrZero("catch_up", "1h").value_or(s.catchUpMs);
    if (const auto instance = r.string("instance")) {
        if (instance->size() > 40 || instance->find_first_of(" /:") != std::string::npos)
            r.problem(*t.get("instance"), "alerts.instance must be at most 40 characters without spaces, '/' or ':'");
        else
            s.instance = *instance;
    }
    if (const auto url = r.string("runbook_base_url")) {
        if (!(url->starts_with("https://") || url->starts_with("http://") || url->starts_with("file://")))
            r.problem(*t.get("runbook_base_url"), "alerts.runbook_base_url must be an http(s):// or file:// URL of the runbooks folder");
        else
            s.runbookBaseUrl = *url;
    }
    s.notificationFailedAfterMs = r.duration("notification_failed_after", 60'000, "10m").value_or(s.notificationFailedAfterMs);
    s.retryBaseMs = r.duration("retry_base_delay", 100, "2s").value_or(s.retryBaseMs);
    s.retryMaxMs = r.duration("retry_max_delay", 1000, "5m").value_or(s.retryMaxMs);
    s.giveUpAfterMs = r.duration("give_up_after", 60'000, "24h").value_or(s.giveUpAfterMs);
    s.leaseMs = r.duration("lease", 5'000, "60s").value_or(s.leaseMs);
    if (s.retryMaxMs < s.retryBaseMs && t.get("retry_max_delay"))
        r.problem(*t.get("retry_max_delay"), "alerts.retry_max_delay must not be shorter than retry_base_delay");

    const auto readList = [&](const char *key, auto readOne) {
        const toml::node *node = t.get(key);
        if (!node)
            return;
        const toml::array *list = node->as_array();
        if (!list) {
            r.problem(*node, std::string("alerts.") + key + " must be a list of tables ([[alerts." + key + "]])");
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i)
            readOne(*list->get(i), i, file, out, problems);
    };
    readList("rules", readRule);
    out.rulesRead = t.get("rules") != nullptr;
    readList("destinations", readDestination);
    out.alertsSectionRead = true;
}

CapSetting readCap(const Reader &r, const char *capKey, const char *reviewedKey, int line)
{
    CapSetting cap;
    cap.line = line;
    cap.usd = r.number(capKey, 0.01, 1e9, "of dollars from 0.01 to 1000000000").value_or(0);
    cap.reviewedOn = r.date(reviewedKey);
    return cap;
}

void readCosts(const toml::table &t, const std::string &file, AlertConfig &out, std::vector<ConfigProblem> &problems)
{
    Reader r{t, "costs", file, problems};
    r.checkKeys({"time_zone", "warn_share", "daily_cap_usd", "daily_reviewed_on", "tenant_default_cap_usd",
                 "tenant_default_reviewed_on", "tenants"});
    CostCaps &c = out.costs;
    c.line = Reader::lineOf(t);
    if (const auto zone = r.string("time_zone")) {
        if (*zone != "UTC" && !QTimeZone(QByteArray::fromStdString(*zone)).isValid())
            r.problem(*t.get("time_zone"), "costs.time_zone \"" + *zone + "\" is not a time zone this system knows (use \"UTC\" or an IANA name like \"Europe/Berlin\")");
        else
            c.timeZone = *zone;
    }
    if (const auto share = r.number("warn_share", 0.05, 0.99, "from 0.05 to 0.99 (0.8 = warn at 80% of a cap)"))
        c.warnShare = *share;
    if (const toml::node *cap = t.get("daily_cap_usd"))
        c.daily = readCap(r, "daily_cap_usd", "daily_reviewed_on", Reader::lineOf(*cap));
    else if (const toml::node *orphan = t.get("daily_reviewed_on"))
        r.problem(*orphan, "costs.daily_reviewed_on without costs.daily_cap_usd");
    if (const toml::node *cap = t.get("tenant_default_cap_usd"))
        c.tenantDefault = readCap(r, "tenant_default_cap_usd", "tenant_default_reviewed_on", Reader::lineOf(*cap));
    else if (const toml::node *orphan = t.get("tenant_default_reviewed_on"))
        r.problem(*orphan, "costs.tenant_default_reviewed_on without costs.tenant_default_cap_usd");
    if (const toml::node *tenants = t.get("tenants")) {
        const toml::table *list = tenants->as_table();
        if (!list) {
            r.problem(*tenants, "costs.tenants must be tables: [costs.tenants.acme] cap_usd = 200, reviewed_on = 2026-01-15");
        } else {
            for (const auto &[name, node] : *list) {
                const toml::table *entry = node.as_table();
                const std::string tenant(name.str());
                if (!entry) {
                    r.problem(node, "costs.tenants." + tenant + " must be a table: [costs.tenants." + tenant +
                                        "] cap_usd = 200, reviewed_on = 2026-01-15");
                    continue;
                }
                Reader tr{*entry, "costs.tenants." + tenant, file, problems};
                tr.checkKeys({"cap_usd", "reviewed_on"});
                if (!entry->get("cap_usd")) {
                    tr.problem(node, "[costs.tenants." + tenant + "] needs cap_usd");
                    continue;
                }
                c.tenants[tenant] = readCap(tr, "cap_usd", "reviewed_on", Reader::lineOf(*entry->get("cap_usd")));
            }
        }
    }
    out.costsSectionRead = true;
}

} // namespace

bool readAlertSection(std::string_view name, const toml::table &section, const std::string &file,
                      AlertConfig &out, std::vector<ConfigProblem> &problems)
{
    if (name == "alerts") {
        readAlerts(section, file, out, problems);
        return true;
    }
    if (name == "costs") {
        readCosts(section, file, out, problems);
        return true;
    }
    return false;
}

void checkAlertConfig(const AlertConfig &config, const std::string &file, std::vector<ConfigProblem> &problems)
{
    for (const AlertRule &rule : config.rules) {
        for (const std::string &d : rule.destinations) {
            if (!config.destination(d))
                problems.push_back({file, rule.line, "rule \"" + rule.name + "\" sends to \"" + d +
                                                         "\", which no [[alerts.destinations]] entry names"});
        }
        if (rule.type == AlertType::CostDaily && !config.costs.daily)
            problems.push_back({file, rule.line, "rule \"" + rule.name + "\" (cost_daily) needs [costs] daily_cap_usd"});
        if (rule.type == AlertType::CostTenant && !config.costs.tenantDefault && config.costs.tenants.empty())
            problems.push_back({file, rule.line, "rule \"" + rule.name +
                                                     "\" (cost_tenant) needs [costs] tenant_default_cap_usd or [costs.tenants.NAME] caps"});
    }
}

} // namespace vigil
