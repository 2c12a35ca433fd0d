#include "query/prompt_versions.h"

#include <cctype>

namespace vigil::ui {

std::string canonicalPromptVersion(std::string_view version)
{
    if (version.size() < 7 || version.size() > 64)
        return std::string(version);
    for (char c : version) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::string(version);
    }
    std::string out(version.substr(0, 7));
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

PromptAndVersion splitPromptKey(std::string_view key)
{
    const auto at = key.rfind('@');
    if (at == std::string_view::npos)
        return {std::string(key), {}};
    return {std::string(key.substr(0, at)), std::string(key.substr(at + 1))};
}

std::string promptKey(std::string_view name, std::string_view version)
{
    return std::string(name) + "@" + std::string(version);
}

} // namespace vigil::ui
