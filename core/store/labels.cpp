#include "store/labels.h"

#include <cctype>

namespace vigil {

namespace {
bool isHexSha(std::string_view s)
{
    if (s.size() < 7 || s.size() > 64)
        return false;
    for (char c : s) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}
} // namespace

bool promptVersionMatches(std::string_view wanted, std::string_view stored)
{
    if (wanted == stored)
        return true;
    if (!isHexSha(wanted) || !isHexSha(stored))
        return false;
    const std::size_t n = std::min(wanted.size(), stored.size());
    return equalsIgnoringCase(wanted.substr(0, n), stored.substr(0, n));
}

std::string promptVersionKey(std::string_view version)
{
    if (!isHexSha(version))
        return std::string(version);
    std::string key(version.substr(0, 7));
    for (char &c : key)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

bool LabelFilter::matches(const Labels &labels) const
{
    return (!tenant || *tenant == labels.tenant) && (!model || *model == labels.model) &&
           (!provider || *provider == labels.provider) &&
           (!promptName || *promptName == labels.promptName) &&
           (!promptVersion || promptVersionMatches(*promptVersion, labels.promptVersion));
}

void LabelFilter::setPrompt(std::string_view spec)
{
    const auto at = spec.find('@');
    promptName = std::string(spec.substr(0, at));
    if (at != std::string_view::npos)
        promptVersion = std::string(spec.substr(at + 1));
    else
        promptVersion.reset();
}

} // namespace vigil
