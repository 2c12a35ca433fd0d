#include "prompt_settings.h"

#include "prompts/prompt_locations.h"
#include "store/store_error.h"
#include "store/store_meta.h"

#include <filesystem>

namespace vigil::cli {

namespace {
std::string fromStore(const std::string &storePath, const char *key)
{
    std::error_code ec;
    if (!std::filesystem::exists(storePath, ec))
        return {};
    try {
        return readStoreMeta(storePath, key).value_or(std::string());
    } catch (const StoreError &) {
        return {}; // an unreadable store is reported by the command that needs it
    }
}
} // namespace

void addPromptOptions(QCommandLineParser &parser, bool withDeployDir)
{
    parser.addOption({QStringLiteral("repo"),
                      QStringLiteral("The prompts git repository, working or bare (default: [prompts] repo in the config)."),
                      QStringLiteral("path")});
    if (withDeployDir)
        parser.addOption({QStringLiteral("deploy-dir"),
                          QStringLiteral("Folder of prompts.lock.json (default: [prompts] deploy_dir in the config)."),
                          QStringLiteral("path")});
}

PromptSettings resolvePromptSettings(const QCommandLineParser &parser, const Environment &env)
{
    PromptSettings s;
    const PromptsConfig config = env.config ? env.config->prompts : PromptsConfig();
    if (parser.isSet(QStringLiteral("repo")))
        s.repository = parser.value(QStringLiteral("repo")).toStdString();
    else if (config.repo)
        s.repository = *config.repo;
    else
        s.repository = fromStore(env.storePath, kStoreMetaPromptsRepo);
    if (config.folder)
        s.folder = *config.folder;
    if (parser.optionNames().contains(QStringLiteral("deploy-dir")))
        s.deployDir = parser.value(QStringLiteral("deploy-dir")).toStdString();
    else if (config.deployDir)
        s.deployDir = *config.deployDir;
    else
        s.deployDir = fromStore(env.storePath, kStoreMetaPromptsDeployDir);
    return s;
}

} // namespace vigil::cli
