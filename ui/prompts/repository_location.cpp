#include "prompts/repository_location.h"

#include "util/settings.h"

#include "config/config.h"
#include "prompts/prompt_locations.h"
#include "store/store_error.h"
#include "store/store_meta.h"

#include <QVariantMap>

#include <filesystem>

namespace vigil::ui {

namespace {

// A map store path -> folder, so a repository chosen for one store is not
// offered for another (the demo store has its own).
constexpr char kChosenRepos[] = "prompts/repositories";
constexpr char kChosenDeployDirs[] = "prompts/deployFolders";

std::string fromStore(const std::string &storePath, const char *key)
{
    std::error_code ec;
    if (storePath.empty() || !std::filesystem::exists(storePath, ec))
        return {};
    try {
        return readStoreMeta(storePath, key).value_or(std::string());
    } catch (const StoreError &) {
        return {}; // the page reports an unreadable store when it reads the activations
    }
}

QString chosen(const char *key, const QString &storePath)
{
    return openSettings()->value(QLatin1String(key)).toMap().value(storePath).toString();
}

void remember(const char *key, const QString &storePath, const QString &value)
{
    const auto settings = openSettings();
    QVariantMap map = settings->value(QLatin1String(key)).toMap();
    if (value.isEmpty())
        map.remove(storePath);
    else
        map.insert(storePath, value);
    settings->setValue(QLatin1String(key), map);
}

} // namespace

PromptLocation resolvePromptLocation(const PromptLocationInputs &inputs)
{
    PromptLocation location;
    std::optional<VigilConfig> config;
    std::error_code ec;
    if (!inputs.configPath.empty() && std::filesystem::exists(inputs.configPath, ec)) {
        std::vector<ConfigProblem> problems;
        config = loadConfig(inputs.configPath, problems);
        if (!config && !problems.empty()) {
            location.configProblem = QString::fromStdString(problems.front().text());
        }
    }
    const PromptsConfig prompts = config ? config->prompts : PromptsConfig();

    if (!inputs.commandLineRepo.empty()) {
        location.repository = inputs.commandLineRepo;
        location.repositorySource = QStringLiteral("--repo");
    } else if (!inputs.chosenRepo.empty()) {
        location.repository = inputs.chosenRepo;
        location.repositorySource = QStringLiteral("chosen in this window");
    } else if (prompts.repo) {
        location.repository = *prompts.repo;
        location.repositorySource = QStringLiteral("vigil.toml");
    } else if (std::string fromMeta = fromStore(inputs.storePath, kStoreMetaPromptsRepo); !fromMeta.empty()) {
        location.repository = std::move(fromMeta);
        location.repositorySource = QStringLiteral("the store");
    }
    if (prompts.folder)
        location.folder = *prompts.folder;

    if (!inputs.chosenDeployDir.empty()) {
        location.deployDir = inputs.chosenDeployDir;
        location.deploySource = QStringLiteral("chosen in this window");
    } else if (prompts.deployDir) {
        location.deployDir = *prompts.deployDir;
        location.deploySource = QStringLiteral("vigil.toml");
    } else if (std::string fromMeta = fromStore(inputs.storePath, kStoreMetaPromptsDeployDir); !fromMeta.empty()) {
        location.deployDir = std::move(fromMeta);
        location.deploySource = QStringLiteral("the store");
    }
    return location;
}

ChosenPromptFolders chosenPromptFolders(const QString &storePath)
{
    return {chosen(kChosenRepos, storePath), chosen(kChosenDeployDirs, storePath)};
}

void rememberPromptRepository(const QString &storePath, const QString &repository)
{
    remember(kChosenRepos, storePath, repository);
}

void rememberPromptDeployDir(const QString &storePath, const QString &deployDir)
{
    remember(kChosenDeployDirs, storePath, deployDir);
}

} // namespace vigil::ui
