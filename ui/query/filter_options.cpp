#include "query/filter_options.h"

#include "query/prompt_versions.h"

#include <set>

namespace vigil::ui {

FilterOptions filterOptionsFrom(const std::vector<Labels> &labels)
{
    std::set<std::string> tenants, models, providers, prompts, versions;
    for (const Labels &l : labels) {
        tenants.insert(l.tenant);
        models.insert(l.model);
        if (!l.provider.empty())
            providers.insert(l.provider);
        if (!l.promptName.empty()) {
            prompts.insert(l.promptName);
            if (!l.promptVersion.empty())
                versions.insert(promptKey(l.promptName, canonicalPromptVersion(l.promptVersion)));
        }
    }
    const auto list = [](const std::set<std::string> &s) { return std::vector<std::string>(s.begin(), s.end()); };
    return {list(tenants), list(models), list(providers), list(prompts), list(versions)};
}

} // namespace vigil::ui
