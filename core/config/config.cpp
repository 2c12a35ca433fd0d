#include "config/config.h"

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
    toml::table root;
    try {
        root = toml::parse(text.str(), path);
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
        } else {
            problems.push_back({path, lineOf(node), "unknown section [" + name + "]"});
        }
    }
    if (problems.size() != before)
        return std::nullopt;
    return config;
}

} // namespace vigil
