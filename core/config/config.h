#pragma once
// config/: vigil.toml. Each section is read into a plain struct; every
// mistake is reported with the file and line it is on.

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

struct VigilConfig
{
    std::string sourceFile; // empty when built-in defaults are in use

    // [store]
    std::optional<std::string> storePath;
    // [pricing]
    std::optional<std::string> pricingFile; // relative paths are relative to the config file
    // [server]
    ServerConfig server;
};

// Loads and validates `path`. Returns nothing and fills `problems` when the
// file cannot be read or has mistakes (all of them, not only the first).
std::optional<VigilConfig> loadConfig(const std::string &path, std::vector<ConfigProblem> &problems);

} // namespace vigil
