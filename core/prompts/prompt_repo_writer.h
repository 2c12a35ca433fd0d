#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace vigil {

// Writes commits to a git repository with libgit2: how the demo builds its
// prompts repository. Creates the repository when it does not exist (bare
// or with a working tree; a working tree and its index are kept in step
// with each commit, so `git status` stays clean). Throws PromptError(Git).
class PromptRepoWriter final
{
public:
    PromptRepoWriter(const std::string &path, bool bare);
    ~PromptRepoWriter();
    PromptRepoWriter(const PromptRepoWriter &) = delete;
    PromptRepoWriter &operator=(const PromptRepoWriter &) = delete;

    struct Author
    {
        std::string name;
        std::string email;
        std::int64_t timeMs = 0;
    };
    // Sets `path` (relative to the repository root) to `content` and commits
    // on HEAD; returns the new commit's SHA.
    std::string commitFile(const std::string &path, const std::string &content, const Author &author,
                           const std::string &message);
    // A lightweight tag on a commit.
    void tag(const std::string &name, const std::string &sha);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
