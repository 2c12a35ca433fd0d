#pragma once
// Real git repositories for the prompt tests, written with libgit2 directly
// (not through the code under test).

#include <git2.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vigil::test {

class GitFixture final
{
public:
    // Creates a repository at `path` (bare or with a working tree).
    GitFixture(const std::string &path, bool bare);
    ~GitFixture();
    GitFixture(const GitFixture &) = delete;
    GitFixture &operator=(const GitFixture &) = delete;

    // Sets the files (nothing = delete) on top of HEAD and commits; returns the SHA.
    std::string commit(const std::map<std::string, std::optional<std::string>> &files, const std::string &message,
                       const std::string &author = "Test Author", std::int64_t timeSeconds = 1'700'000'000);
    void tag(const std::string &name, const std::string &sha, bool annotated = false);
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    bool m_bare;
    git_repository *m_repo = nullptr;
    std::int64_t m_clock = 0;
};

} // namespace vigil::test
