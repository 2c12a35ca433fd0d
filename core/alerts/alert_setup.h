#pragma once
// What alerting runs with: vigil.toml's [alerts] and [costs] when the file
// has them, else those of the shipped default config
// (resources/vigil.default.toml, bundled as :/vigil/vigil.default.toml).

#include "alerts/alert_config.h"
#include "config/config.h"
#include "prompts/prompt_regression.h"

#include <optional>
#include <string>
#include <vector>

namespace vigil {

QString shippedDefaultConfigPath(); // the resource
std::string shippedDefaultConfigText();
// The shipped default parsed; problems in it are a build mistake (tested).
std::optional<VigilConfig> loadShippedDefaultConfig(std::vector<ConfigProblem> &problems);

struct AlertSetup
{
    AlertConfig config;
    std::string rulesFrom; // the file the rules come from (named in cap origins and messages)
    std::string costsFrom;
    PromptRegressionRule regression; // [prompts] regression_* margins
};

AlertSetup alertSetupFor(const std::optional<VigilConfig> &fileConfig);

} // namespace vigil
