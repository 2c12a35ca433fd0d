#pragma once

#include "demo/log_generator.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

// Where the demo keeps its prompts repository and deploy folder: next to the
// store ("demo.db" -> "demo-prompts/", "demo-deploy/").
std::string demoPromptsRepoPath(const std::string &storePath);
std::string demoDeployPath(const std::string &storePath);

struct DemoPromptHistory
{
    std::vector<PromptSpec> prompts; // real commit SHAs, for GeneratorOptions::prompts
    std::string repositoryPath;
    std::string deployPath;
};

// Builds the demo's prompts repository (a git working tree, one commit per
// version, plus a commit that changes no prompt) for the day [startMs, endMs):
// summarize, classify-ticket, answer-question and extract-entities with a few
// versions each; answer-question's last version, the incident's bad deploy,
// goes live 40 minutes before the end. A previous demo repository is
// replaced; any other folder at that path is refused (StoreError NotWritable).
DemoPromptHistory buildDemoPromptsRepo(const std::string &storePath, std::int64_t startMs, std::int64_t endMs);

// Records the activation of every version at the time it went live (with its
// operator-log entry), writes prompts.lock.json and remembers the repository
// and deploy folder in the store's meta. Throws StoreError or PromptError.
void recordDemoActivations(const std::string &storePath, const DemoPromptHistory &history);

} // namespace vigil
