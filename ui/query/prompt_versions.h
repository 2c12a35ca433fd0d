#pragma once
// Prompt versions arrive as full or short commit SHAs (3f9c2ab41e... and
// 3f9c2ab name the same commit). The console shows one entry per commit.

#include <string>
#include <string_view>

namespace vigil::ui {

// A hex SHA of 7 or more digits becomes its lowercase 7-digit prefix (which
// the store's filters match against every longer form); other labels stay.
std::string canonicalPromptVersion(std::string_view version);

// "name@version" split at the last '@'; no '@': the whole text is the name.
struct PromptAndVersion
{
    std::string name;
    std::string version;
};
PromptAndVersion splitPromptKey(std::string_view key);
std::string promptKey(std::string_view name, std::string_view version);

} // namespace vigil::ui
