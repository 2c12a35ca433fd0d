#pragma once
// Where the Prompts page finds the prompts repository and the deploy folder,
// in the CLI's order: --repo on the command line, else the folder chosen for
// this store in the window (remembered in QSettings), else [prompts] of
// ./vigil.toml, else what the store remembers (the demo store records its own).

#include <QString>

#include <string>

namespace vigil::ui {

struct PromptLocationInputs
{
    std::string storePath;
    std::string commandLineRepo;   // --repo
    std::string chosenRepo;        // Prompts > Choose prompts repository… for this store
    std::string chosenDeployDir;   // Prompts > Choose deploy folder… for this store
    std::string configPath = "vigil.toml"; // read when it exists
};

struct PromptLocation
{
    std::string repository; // empty: none configured
    std::string folder = "prompts";
    std::string deployDir;  // empty: none configured
    QString repositorySource; // "--repo", "chosen in this window", "vigil.toml", "the store"
    QString deploySource;
    QString configProblem;  // vigil.toml exists but could not be read
};

// Reads ./vigil.toml and the store's meta: run it on a worker.
PromptLocation resolvePromptLocation(const PromptLocationInputs &inputs);

// The repository and deploy folder chosen in the window for a store.
struct ChosenPromptFolders
{
    QString repository;
    QString deployDir;
};
ChosenPromptFolders chosenPromptFolders(const QString &storePath);
void rememberPromptRepository(const QString &storePath, const QString &repository);
void rememberPromptDeployDir(const QString &storePath, const QString &deployDir);

} // namespace vigil::ui
