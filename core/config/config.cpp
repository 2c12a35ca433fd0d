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
        } else {
            problems.push_back({path, lineOf(node), "unknown section [" + name + "]"});
        }
    }
    if (problems.size() != before)
        return std::nullopt;
    return config;
}

} // namespace vigil
