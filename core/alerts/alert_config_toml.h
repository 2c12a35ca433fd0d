#pragma once
// Reading [alerts] and [costs] of vigil.toml (internal to core: config.cpp
// calls these; toml++ stays out of public headers).

#include "alerts/alert_config.h"
#include "config/config.h"

#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace vigil {

// Reads the section `name` when it is one of the alerting sections ("alerts",
// "costs"); returns false for any other name. Every mistake is added to
// `problems` with its line.
bool readAlertSection(std::string_view name, const toml::table &section, const std::string &file,
                      AlertConfig &out, std::vector<ConfigProblem> &problems);

// Checks that need every section: a rule's destinations exist, cost rules
// have their caps.
void checkAlertConfig(const AlertConfig &config, const std::string &file, std::vector<ConfigProblem> &problems);

} // namespace vigil
