#pragma once
// The values the dashboard's filter pickers offer, from the store's labels.

#include "store/labels.h"

#include <map>
#include <string>
#include <vector>

namespace vigil::ui {

struct FilterOptions
{
    std::vector<std::string> tenants;
    std::vector<std::string> models;
    std::vector<std::string> providers;
    std::vector<std::string> prompts;
    // "name@version" (one entry per commit), sorted.
    std::vector<std::string> promptVersions;

    bool operator==(const FilterOptions &) const = default;
};

FilterOptions filterOptionsFrom(const std::vector<Labels> &labels);

} // namespace vigil::ui
