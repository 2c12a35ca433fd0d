#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// One version of a prompt: a commit that changed the prompt's file.
struct PromptVersion
{
    std::string sha;      // 40 hex digits
    std::string shortSha; // the first 7
    std::string author;
    std::string authorEmail;
    std::int64_t dateMs = 0; // author date, UTC epoch ms
    std::string subject;     // first line of the message
    std::vector<std::string> tags; // tags pointing at this commit
    std::string path;        // the file in the repository at that commit ("prompts/summarize.txt")
};

struct PromptInfo
{
    std::string name;
    std::string path; // at HEAD
    std::size_t versionCount = 0;
    std::string latestSha;
};

struct RegistryOptions
{
    std::string repositoryPath;            // a working tree or a bare repository
    std::string promptsFolder = "prompts"; // inside the repository; "" for its root
};

// The prompts of a git repository as of its HEAD, read with libgit2. A prompt
// is a file in the prompts folder with one of extensions(); its name is the
// file name without extension. Every query first checks HEAD and the tags, so
// commits made while Vigil runs are noticed without a restart. Not thread
// safe: use one registry from one thread at a time (the UI uses it on a worker).
class PromptRegistry final
{
public:
    // Throws PromptError(RepositoryUnavailable) naming the path and the reason.
    explicit PromptRegistry(RegistryOptions options);
    ~PromptRegistry();
    PromptRegistry(const PromptRegistry &) = delete;
    PromptRegistry &operator=(const PromptRegistry &) = delete;

    const RegistryOptions &options() const;
    bool isBare() const;
    // Re-reads HEAD and the tags; true when the history changed since the last call.
    bool refresh();
    std::string headSha(); // empty for a repository without commits

    std::vector<PromptInfo> prompts(); // by name
    // Newest first. Throws PromptError(UnknownPrompt).
    std::vector<PromptVersion> versions(const std::string &name);
    // A SHA prefix (7 to 40 hex) of a commit that changed the prompt, or an
    // exact tag (the version in effect at the tagged commit). Throws
    // PromptError: UnknownPrompt, UnknownVersion, NotAVersion (a commit that
    // did not change the prompt), AmbiguousVersion.
    PromptVersion resolve(const std::string &name, const std::string &spec);
    // The version a record's prompt_version names, by the same rules; nothing
    // when it names none (never throws for unknown names or versions).
    std::optional<PromptVersion> matchStamp(const std::string &name, std::string_view stamp);
    // The prompt's file at a commit (a full SHA or a unique prefix). Throws PromptError.
    std::string content(const std::string &name, const std::string &sha);
    struct FileAt
    {
        std::string path;
        std::string content;
    };
    FileAt fileAt(const std::string &name, const std::string &sha);
    // Problems found in the prompts folder (two files for one name), for display.
    std::vector<std::string> problems();

    static const std::vector<std::string> &extensions(); // ".txt", ".md", ...
    // The prompt name of a file name, or nothing when it is not a prompt file.
    static std::optional<std::string> promptNameOf(std::string_view fileName);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// True for 7 to 40 hex digits.
bool looksLikeShaPrefix(std::string_view text);

} // namespace vigil
