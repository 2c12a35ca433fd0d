#pragma once
// Where the prompt commands (and serve) find the prompts repository and the
// deploy folder: --repo / --deploy-dir, else [prompts] of vigil.toml, else
// what the store remembers (the demo store records its own).

#include "cli.h"

#include <string>

namespace vigil::cli {

struct PromptSettings
{
    std::string repository;  // empty: none configured
    std::string folder = "prompts";
    std::string deployDir;   // empty: none configured
};

// Adds --repo (and --deploy-dir when `withDeployDir`).
void addPromptOptions(QCommandLineParser &parser, bool withDeployDir);
PromptSettings resolvePromptSettings(const QCommandLineParser &parser, const Environment &env);

} // namespace vigil::cli
