#pragma once
// config/: vigil.toml. Each section is read into a plain struct; every
// mistake is reported with the file and line it is on.

#include "alerts/alert_config.h"

#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct ConfigProblem
{
    std::string file;
    int line = 0;
    std::string message;
    std::string text() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// [server] of vigil.toml: how `vigilctl serve` listens.
struct ServerTokenConfig
{
    std::string name;
    std::string sha256Hex; // never the secret itself: tokens in the config are hashes
    std::optional<std::string> tenant;
};

struct ServerConfig
{
    std::optional<std::string> listen; // "127.0.0.1:4318"
    std::optional<std::string> tokenFile;
    std::vector<ServerTokenConfig> tokens;
    std::optional<long long> maxBodyBytes;
    std::optional<int> readTimeoutSeconds;
    std::optional<int> queueBatches;
    std::optional<std::string> tlsCertificate;
    std::optional<std::string> tlsKey;
};

// [prompts] of vigil.toml: the prompts repository, where the active set is
// deployed, and when a new version counts as a regression.
struct PromptsConfig
{
    std::optional<std::string> repo;      // a git repository (working or bare)
    std::optional<std::string> folder;    // inside it (default "prompts")
    std::optional<std::string> deployDir; // where prompts.lock.json is written
    std::optional<long long> regressionWindowMs;
    std::optional<double> regressionErrorRateMargin; // absolute, 0.02 = 2 points
    std::optional<double> regressionP95Margin;       // relative, 0.25 = 25% slower
    std::optional<long long> regressionMinRequests;
};

// [retention]
struct RetentionConfig
{
    int payloadDays = 90;
    int rollupDays = 400;
    std::vector<std::pair<std::string, int>> tenantPayloadDays; // [retention.tenants] acme = 30
};

// [redaction]: off unless `enabled = true`.
struct RedactionConfig
{
    bool enabled = false;
    std::string mode = "mask";        // or "hash" (keyed, from hash_key_env)
    std::string hashKeyEnv = "VIGIL_REDACTION_KEY";
    std::vector<std::string> kinds;   // empty: all built-in kinds
    std::vector<std::pair<std::string, std::string>> custom; // [[redaction.custom]] name, pattern
};

struct VigilConfig
{
    std::string sourceFile; // empty when built-in defaults are in use

    // [store]
    std::optional<std::string> storePath;
    // [pricing]
    std::optional<std::string> pricingFile; // relative paths are relative to the config file
    // [server]
    ServerConfig server;
    RetentionConfig retention;
    RedactionConfig redaction;
    // [prompts]
    PromptsConfig prompts;
    // [alerts] (settings, [[alerts.rules]], [[alerts.destinations]]) and [costs]
    AlertConfig alerts;
};

// Loads and validates `path`. Returns nothing and fills `problems` when the
// file cannot be read or has mistakes (all of them, not only the first).
std::optional<VigilConfig> loadConfig(const std::string &path, std::vector<ConfigProblem> &problems);
// The same for config text (the shipped default config, a console edit);
// `sourceName` names it in problems and relative paths resolve against it.
std::optional<VigilConfig> loadConfigText(const std::string &text, const std::string &sourceName,
                                          std::vector<ConfigProblem> &problems);

} // namespace vigil
