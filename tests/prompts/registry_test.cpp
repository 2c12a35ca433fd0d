// The prompt registry over real git repositories (working and bare): which
// commits are versions, SHA-prefix and tag matching, new commits noticed.
#include "git_fixture.h"
#include "test_support.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <cctype>

namespace vigil {
namespace {

using test::GitFixture;
using test::TempDir;

struct History
{
    std::string c1, c2, c3, c4, c5;
};

// c1 adds two prompts and a non-prompt file; c2 changes summarize; c3 touches
// only the README; c4 changes classify; c5 changes summarize again.
History makeHistory(GitFixture &git)
{
    History h;
    h.c1 = git.commit({{"prompts/summarize.txt", "Summarize in 3 bullets.\n"},
                       {"prompts/classify.md", "# Classify\nbilling | bug\n"},
                       {"prompts/notes.csv", "not,a,prompt\n"},
                       {"README.md", "prompts\n"}},
                      "Add prompts", "Alice", 1'700'000'000);
    h.c2 = git.commit({{"prompts/summarize.txt", "Summarize in 3 short bullets.\n"}}, "summarize: shorter", "Bob");
    h.c3 = git.commit({{"README.md", "prompts, one file each\n"}}, "docs only", "Alice");
    h.c4 = git.commit({{"prompts/classify.md", "# Classify\nbilling | bug | outage\n"}}, "classify: outage", "Carol");
    h.c5 = git.commit({{"prompts/summarize.txt", "Summarize in 3 short bullets.\nKeep numbers.\n"}},
                      "summarize: keep numbers\n\nLonger body that is not the subject.", "Bob");
    return h;
}

std::vector<std::string> shas(const std::vector<PromptVersion> &versions)
{
    std::vector<std::string> out;
    for (const auto &v : versions)
        out.push_back(v.sha);
    return out;
}

PromptErrorKind errorOf(const std::function<void()> &f, std::string *message = nullptr)
{
    try {
        f();
    } catch (const PromptError &e) {
        if (message)
            *message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "no PromptError thrown";
    return PromptErrorKind::Git;
}

class RegistryTest : public ::testing::TestWithParam<bool> // bare?
{
};

TEST_P(RegistryTest, VersionsAreTheCommitsThatChangedTheFile)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), GetParam());
    const History h = makeHistory(git);
    PromptRegistry registry({dir.path("repo"), "prompts"});
    EXPECT_EQ(registry.isBare(), GetParam());

    const auto prompts = registry.prompts();
    ASSERT_EQ(prompts.size(), 2u); // notes.csv is not a prompt
    EXPECT_EQ(prompts[0].name, "classify");
    EXPECT_EQ(prompts[0].path, "prompts/classify.md");
    EXPECT_EQ(prompts[0].versionCount, 2u);
    EXPECT_EQ(prompts[1].name, "summarize");
    EXPECT_EQ(prompts[1].latestSha, h.c5);

    const auto versions = registry.versions("summarize");
    EXPECT_EQ(shas(versions), (std::vector<std::string>{h.c5, h.c2, h.c1}));
    EXPECT_EQ(versions[0].shortSha, h.c5.substr(0, 7));
    EXPECT_EQ(versions[0].author, "Bob");
    EXPECT_EQ(versions[0].subject, "summarize: keep numbers");
    EXPECT_EQ(versions[0].path, "prompts/summarize.txt");
    EXPECT_GT(versions[0].dateMs, versions[1].dateMs);
    EXPECT_EQ(versions[2].dateMs, 1'700'000'000'000);
    EXPECT_EQ(shas(registry.versions("classify")), (std::vector<std::string>{h.c4, h.c1}));

    EXPECT_EQ(registry.content("summarize", h.c2), "Summarize in 3 short bullets.\n");
    EXPECT_EQ(registry.content("summarize", h.c3), "Summarize in 3 short bullets.\n"); // any commit that has it
    EXPECT_EQ(registry.fileAt("classify", h.c1.substr(0, 9)).path, "prompts/classify.md");
}

TEST_P(RegistryTest, ShaPrefixesAndTagsMatchVersions)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), GetParam());
    const History h = makeHistory(git);
    git.tag("v2", h.c2);
    git.tag("release-1", h.c3, true); // annotated, on a commit that did not change summarize
    PromptRegistry registry({dir.path("repo"), "prompts"});

    EXPECT_EQ(registry.resolve("summarize", h.c2).sha, h.c2);                // full
    EXPECT_EQ(registry.resolve("summarize", h.c2.substr(0, 7)).sha, h.c2);   // short
    EXPECT_EQ(registry.resolve("summarize", h.c2.substr(0, 12)).sha, h.c2);  // in between
    std::string upper = h.c2.substr(0, 10);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
    EXPECT_EQ(registry.resolve("summarize", upper).sha, h.c2);
    EXPECT_EQ(registry.resolve("summarize", "v2").sha, h.c2);                // exact tag
    EXPECT_EQ(registry.resolve("summarize", "release-1").sha, h.c2);         // the version in effect there
    EXPECT_EQ(registry.versions("summarize")[1].tags, std::vector<std::string>{"v2"});

    std::string message;
    EXPECT_EQ(errorOf([&] { registry.resolve("summarize", h.c3.substr(0, 8)); }, &message), PromptErrorKind::NotAVersion);
    EXPECT_NE(message.find("did not change prompts/summarize.txt"), std::string::npos) << message;
    EXPECT_NE(message.find("docs only"), std::string::npos) << message;
    EXPECT_EQ(errorOf([&] { registry.resolve("classify", h.c2); }), PromptErrorKind::NotAVersion);
    EXPECT_EQ(errorOf([&] { registry.resolve("summarize", "0000000000"); }), PromptErrorKind::UnknownVersion);
    EXPECT_EQ(errorOf([&] { registry.resolve("summarize", h.c2.substr(0, 6)); }), PromptErrorKind::UnknownVersion);
    EXPECT_EQ(errorOf([&] { registry.resolve("summarize", "v2 "); }), PromptErrorKind::UnknownVersion);
    EXPECT_EQ(errorOf([&] { registry.resolve("nope", h.c2); }, &message), PromptErrorKind::UnknownPrompt);
    EXPECT_NE(message.find("\"nope\""), std::string::npos);
    EXPECT_EQ(errorOf([&] { registry.versions("notes"); }), PromptErrorKind::UnknownPrompt);

    // Stamps as records carry them.
    EXPECT_EQ(registry.matchStamp("summarize", h.c5.substr(0, 7))->sha, h.c5);
    EXPECT_EQ(registry.matchStamp("summarize", h.c5)->sha, h.c5);
    EXPECT_EQ(registry.matchStamp("summarize", "v2")->sha, h.c2);
    EXPECT_FALSE(registry.matchStamp("summarize", h.c3));          // a commit, but not a version
    EXPECT_FALSE(registry.matchStamp("summarize", "v9"));
    EXPECT_FALSE(registry.matchStamp("summarize", h.c5.substr(0, 6))); // too short
    EXPECT_FALSE(registry.matchStamp("unknown", h.c5));
}

TEST_P(RegistryTest, NoticesNewCommitsAndTagsWithoutRestart)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), GetParam());
    const History h = makeHistory(git);
    PromptRegistry registry({dir.path("repo"), "prompts"});
    ASSERT_EQ(registry.versions("summarize").size(), 3u);
    EXPECT_FALSE(registry.refresh());

    const std::string c6 = git.commit({{"prompts/summarize.txt", "v6\n"}, {"prompts/new-one.yaml", "x: 1\n"}}, "c6");
    EXPECT_EQ(registry.versions("summarize").size(), 4u);
    EXPECT_EQ(registry.versions("summarize").front().sha, c6);
    EXPECT_EQ(registry.prompts().size(), 3u);
    EXPECT_EQ(registry.headSha(), c6);

    git.tag("late-tag", h.c1);
    EXPECT_EQ(registry.resolve("summarize", "late-tag").sha, h.c1);

    const std::string c7 = git.commit({{"prompts/new-one.yaml", std::nullopt}}, "remove new-one");
    EXPECT_EQ(registry.prompts().size(), 2u);
    EXPECT_EQ(errorOf([&] { registry.versions("new-one"); }), PromptErrorKind::UnknownPrompt);
    EXPECT_EQ(registry.headSha(), c7);
}

INSTANTIATE_TEST_SUITE_P(WorkingAndBare, RegistryTest, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? std::string("Bare") : std::string("Working"); });

TEST(Registry, AFileRemovedAndAddedBackCountsFromItsReturn)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), false);
    const std::string a = git.commit({{"prompts/p.txt", "one\n"}}, "add");
    git.commit({{"prompts/p.txt", std::nullopt}}, "remove");
    const std::string c = git.commit({{"prompts/p.txt", "one\n"}}, "back");
    PromptRegistry registry({dir.path("repo"), "prompts"});
    EXPECT_EQ(shas(registry.versions("p")), (std::vector<std::string>{c, a}));
}

TEST(Registry, AnotherExtensionIsTheSamePrompt)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), false);
    const std::string a = git.commit({{"prompts/p.txt", "one\n"}}, "txt");
    const std::string b = git.commit({{"prompts/p.txt", std::nullopt}, {"prompts/p.j2", "one {{ x }}\n"}}, "to jinja");
    PromptRegistry registry({dir.path("repo"), "prompts"});
    const auto versions = registry.versions("p");
    EXPECT_EQ(shas(versions), (std::vector<std::string>{b, a}));
    EXPECT_EQ(versions[0].path, "prompts/p.j2");
    EXPECT_EQ(versions[1].path, "prompts/p.txt");
}

TEST(Registry, MissingOrNonGitFolderIsRefusedClearly)
{
    TempDir dir;
    std::string message;
    EXPECT_EQ(errorOf([&] { PromptRegistry r({dir.path("missing"), "prompts"}); }, &message),
              PromptErrorKind::RepositoryUnavailable);
    EXPECT_NE(message.find(dir.path("missing")), std::string::npos);
    std::filesystem::create_directories(dir.path("plain"));
    test::writeFile(dir.path("plain/file.txt"), "x");
    EXPECT_EQ(errorOf([&] { PromptRegistry r({dir.path("plain"), "prompts"}); }, &message),
              PromptErrorKind::RepositoryUnavailable);
    EXPECT_NE(message.find("not a readable git repository"), std::string::npos) << message;
    EXPECT_EQ(errorOf([&] { PromptRegistry r({"", "prompts"}); }), PromptErrorKind::RepositoryUnavailable);
}

TEST(Registry, EmptyRepositoryHasNoPrompts)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), true);
    PromptRegistry registry({dir.path("repo"), "prompts"});
    EXPECT_TRUE(registry.prompts().empty());
    EXPECT_EQ(registry.headSha(), "");
    EXPECT_EQ(errorOf([&] { registry.versions("x"); }), PromptErrorKind::UnknownPrompt);
}

} // namespace
} // namespace vigil
