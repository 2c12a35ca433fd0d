#include "config/config.h"

#include "alerts/alert_config_toml.h"
#include "metrics/time_window.h"
#include "store/retention.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace vigil {

namespace {

int lineOf(const toml::node &node)
{
    return static_cast<int>(node.source().begin.line);
}

// Flags keys a section does not know, so a typo is never silently ignored.
void checkKeys(const toml::table &table, const std::string &section,
               const std::set<std::string> &known, const std::string &file,
               std::vector<ConfigProblem> &problems)
{
    for (const auto &[key, node] : table) {
        if (!known.count(std::string(key.str())))
            problems.push_back({file, lineOf(node),
                                "unknown key \"" + std::string(key.str()) + "\" in [" + section + "]"});
    }
}

std::optional<std::string> readPath(const toml::table &table, const char *key,
                                    const std::string &section, const std::string &file,
                                    std::vector<ConfigProblem> &problems)
{
    const toml::node *node = table.get(key);
    if (!node)
        return std::nullopt;
    if (!node->is_string()) {
        problems.push_back({file, lineOf(*node), section + "." + key + " must be a string (a path)"});
        return std::nullopt;
    }
    std::filesystem::path p(node->value<std::string>().value());
    if (p.is_relative())
        p = std::filesystem::path(file).parent_path() / p;
    return p.lexically_normal().string();
}

template <typename T>
std::optional<T> readNumber(const toml::table &table, const char *key, const std::string &section,
                            T min, T max, const std::string &file, std::vector<ConfigProblem> &problems)
{
    const toml::node *node = table.get(key);
    if (!node)
        return std::nullopt;
    const auto v = node->value<long long>();
    if (!v || *v < static_cast<long long>(min) || *v > static_cast<long long>(max)) {
        problems.push_back({file, lineOf(*node),
                            section + "." + key + " must be a whole number from " + std::to_string(min) +
                                " to " + std::to_string(max)});
        return std::nullopt;
    }
    return static_cast<T>(*v);
}

std::optional<std::string> readString(const toml::table &table, const char *key,
                                      const std::string &section, const std::string &file,
                                      std::vector<ConfigProblem> &problems)
{
    const toml::node *node = table.get(key);
    if (!node)
        return std::nullopt;
    if (!node->is_string()) {
        problems.push_back({file, lineOf(*node), section + "." + key + " must be a string"});
        return std::nullopt;
    }
    return node->value<std::string>();
}

void readServer(const toml::table &t, const std::string &file, ServerConfig &out,
                std::vector<ConfigProblem> &problems)
{
    const std::string section = "server";
    checkKeys(t, section,
              {"listen", "token_file", "tokens", "max_body_bytes", "read_timeout_seconds",
               "queue_batches", "tls_certificate", "tls_key"},
              file, problems);
    out.listen = readString(t, "listen", section, file, problems);
    if (out.listen && out.listen->find(':') == std::string::npos)
        problems.push_back({file, lineOf(*t.get("listen")), "server.listen must be HOST:PORT, e.g. 127.0.0.1:4318"});
    out.tokenFile = readPath(t, "token_file", section, file, problems);
    out.maxBodyBytes = readNumber<long long>(t, "max_body_bytes", section, 1024, 1ll << 32, file, problems);
    out.readTimeoutSeconds = readNumber<int>(t, "read_timeout_seconds", section, 1, 3600, file, problems);
    out.queueBatches = readNumber<int>(t, "queue_batches", section, 1, 4096, file, problems);
    out.tlsCertificate = readPath(t, "tls_certificate", section, file, problems);
    out.tlsKey = readPath(t, "tls_key", section, file, problems);
    if (out.tlsCertificate.has_value() != out.tlsKey.has_value())
        problems.push_back({file, lineOf(t), "server.tls_certificate and server.tls_key go together"});
    if (const toml::node *tokens = t.get("tokens")) {
        const toml::array *list = tokens->as_array();
        if (!list) {
            problems.push_back({file, lineOf(*tokens), "server.tokens must be an array of tables ([[server.tokens]])"});
            return;
        }
        for (const toml::node &node : *list) {
            const toml::table *entry = node.as_table();
            if (!entry) {
                problems.push_back({file, lineOf(node), "each [[server.tokens]] entry must be a table"});
                continue;
            }
            checkKeys(*entry, "server.tokens", {"name", "sha256", "tenant"}, file, problems);
            ServerTokenConfig token;
            token.name = entry->get("name") ? entry->get("name")->value_or(std::string()) : std::string();
            const auto hex = readString(*entry, "sha256", "server.tokens", file, problems);
            if (!hex || hex->size() != 64 ||
                hex->find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
                problems.push_back({file, lineOf(node),
                                    "a [[server.tokens]] entry needs sha256 = \"<64 hex digits>\" (the hash, "
                                    "never the token: `vigilctl token hash` prints it)"});
                continue;
            }
            token.sha256Hex = *hex;
            token.tenant = readString(*entry, "tenant", "server.tokens", file, problems);
            out.tokens.push_back(std::move(token));
        }
    }
}

// [prompts]: relative paths are relative to the config file, like the others.
void readPrompts(const toml::table &t, const std::string &file, PromptsConfig &out,
                 std::vector<ConfigProblem> &problems)
{
    const std::string section = "prompts";
    checkKeys(t, section,
              {"repo", "folder", "deploy_dir", "regression_window", "regression_error_rate_margin",
               "regression_p95_margin", "regression_min_requests"},
              file, problems);
    out.repo = readPath(t, "repo", section, file, problems);
    out.folder = readString(t, "folder", section, file, problems);
    if (out.folder && (out.folder->starts_with("/") || out.folder->find("..") != std::string::npos))
        problems.push_back({file, lineOf(*t.get("folder")),
                            "prompts.folder must be a folder inside the repository (e.g. \"prompts\")"});
    out.deployDir = readPath(t, "deploy_dir", section, file, problems);
    if (const auto window = readString(t, "regression_window", section, file, problems)) {
        out.regressionWindowMs = parseDurationMs(*window);
        if (!out.regressionWindowMs || *out.regressionWindowMs < 60'000)
            problems.push_back({file, lineOf(*t.get("regression_window")),
                                "prompts.regression_window must be a duration of at least a minute, e.g. \"15m\""});
    }
    const auto readFraction = [&](const char *key, double max, const char *maxText) -> std::optional<double> {
        const toml::node *node = t.get(key);
        if (!node)
            return std::nullopt;
        const auto v = node->value<double>();
        if (!v || *v < 0 || *v > max) {
            problems.push_back({file, lineOf(*node),
                                section + "." + key + " must be a number from 0 to " + maxText});
            return std::nullopt;
        }
        return v;
    };
    out.regressionErrorRateMargin = readFraction("regression_error_rate_margin", 1.0, "1 (0.02 = two points)");
    out.regressionP95Margin = readFraction("regression_p95_margin", 10.0, "10 (0.25 = 25% slower)");
    out.regressionMinRequests = readNumber<long long>(t, "regression_min_requests", section, 1, 1'000'000'000, file, problems);
}

void readRetention(const toml::table &t, const std::string &file, RetentionConfig &out,
                   std::vector<ConfigProblem> &problems)
{
    checkKeys(t, "retention", {"payload_days", "rollup_days", "tenants"}, file, problems);
    out.payloadDays = readNumber<int>(t, "payload_days", "retention", kMinPayloadDays, 36500, file, problems).value_or(out.payloadDays);
    out.rollupDays = readNumber<int>(t, "rollup_days", "retention", 1, 36500, file, problems).value_or(out.rollupDays);
    if (const toml::node *tenants = t.get("tenants")) {
        const toml::table *list = tenants->as_table();
        if (!list) {
            problems.push_back({file, lineOf(*tenants), "retention.tenants must be a table: [retention.tenants] acme = 30"});
            return;
        }
        for (const auto &[name, node] : *list) {
            const auto days = node.value<long long>();
            if (!days || *days < kMinPayloadDays || *days > 36500) {
                problems.push_back({file, lineOf(node), "retention.tenants." + std::string(name.str()) +
                                                            " must be a number of days from " +
                                                            std::to_string(kMinPayloadDays) + " to 36500"});
                continue;
            }
            out.tenantPayloadDays.emplace_back(std::string(name.str()), static_cast<int>(*days));
        }
    }
}

void readRedaction(const toml::table &t, const std::string &file, RedactionConfig &out,
                   std::vector<ConfigProblem> &problems)
{
    checkKeys(t, "redaction", {"enabled", "mode", "hash_key_env", "kinds", "custom"}, file, problems);
    if (const toml::node *n = t.get("enabled")) {
        if (!n->is_boolean())
            problems.push_back({file, lineOf(*n), "redaction.enabled must be true or false"});
        else
            out.enabled = n->value_or(false);
    }
    if (auto mode = readString(t, "mode", "redaction", file, problems)) {
        if (*mode != "mask" && *mode != "hash")
            problems.push_back({file, lineOf(*t.get("mode")), "redaction.mode must be \"mask\" or \"hash\""});
        else
            out.mode = *mode;
    }
    if (auto env = readString(t, "hash_key_env", "redaction", file, problems))
        out.hashKeyEnv = *env;
    if (const toml::node *kinds = t.get("kinds")) {
        static const std::set<std::string> known = {"email", "phone", "card", "api_key", "bearer", "jwt"};
        const toml::array *list = kinds->as_array();
        if (!list) {
            problems.push_back({file, lineOf(*kinds), "redaction.kinds must be a list of strings"});
        } else {
            for (const toml::node &k : *list) {
                const auto name = k.value<std::string>();
                if (!name || !known.count(*name))
                    problems.push_back({file, lineOf(k), "redaction.kinds: use email, phone, card, api_key, bearer, jwt"});
                else
                    out.kinds.push_back(*name);
            }
        }
    }
    if (const toml::node *custom = t.get("custom")) {
        const toml::array *list = custom->as_array();
        if (!list) {
            problems.push_back({file, lineOf(*custom), "redaction.custom must be [[redaction.custom]] tables"});
            return;
        }
        for (const toml::node &node : *list) {
            const toml::table *entry = node.as_table();
            const auto name = entry ? (*entry)["name"].value<std::string>() : std::nullopt;
            const auto pattern = entry ? (*entry)["pattern"].value<std::string>() : std::nullopt;
            if (!name || !pattern || pattern->empty()) {
                problems.push_back({file, lineOf(node), "each [[redaction.custom]] needs name and pattern strings"});
                continue;
            }
            out.custom.emplace_back(*name, *pattern);
        }
    }
}

} // namespace

std::optional<VigilConfig> loadConfig(const std::string &path, std::vector<ConfigProblem> &problems)
{
    std::ifstream in(path);
    if (!in) {
        problems.push_back({path, 0, "cannot read the config file"});
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return loadConfigText(text.str(), path, problems);
}

std::optional<VigilConfig> loadConfigText(const std::string &text, const std::string &path,
                                          std::vector<ConfigProblem> &problems)
{
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error &e) {
        problems.push_back({path, static_cast<int>(e.source().begin.line), std::string(e.description())});
        return std::nullopt;
    }
    VigilConfig config;
    config.sourceFile = path;
    const std::size_t before = problems.size();
    for (const auto &[key, node] : root) {
        const std::string name(key.str());
        const toml::table *section = node.as_table();
        if (!section) {
            problems.push_back({path, lineOf(node), "\"" + name + "\" must be a [section]"});
            continue;
        }
        if (name == "store") {
            checkKeys(*section, name, {"path"}, path, problems);
            config.storePath = readPath(*section, "path", name, path, problems);
        } else if (name == "pricing") {
            checkKeys(*section, name, {"file"}, path, problems);
            config.pricingFile = readPath(*section, "file", name, path, problems);
        } else if (name == "server") {
            readServer(*section, path, config.server, problems);
        } else if (name == "retention") {
            readRetention(*section, path, config.retention, problems);
        } else if (name == "redaction") {
            readRedaction(*section, path, config.redaction, problems);
        } else if (name == "prompts") {
            readPrompts(*section, path, config.prompts, problems);
        } else if (readAlertSection(name, *section, path, config.alerts, problems)) {
            // [alerts], [costs]: read in alerts/alert_config_toml.cpp
        } else {
            problems.push_back({path, lineOf(node), "unknown section [" + name + "]"});
        }
    }
    checkAlertConfig(config.alerts, path, problems);
    if (problems.size() != before)
        return std::nullopt;
    return config;
}

} // namespace vigil
