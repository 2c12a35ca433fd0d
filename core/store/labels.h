#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// The dimensions every request and rollup row is grouped by.
struct Labels
{
    std::string tenant;
    std::string model;
    std::string provider;
    std::string promptName;
    std::string promptVersion;
};

// True when two prompt versions name the same commit: equal, or both hex SHAs
// of at least 7 digits where one is a prefix of the other (3f9c2ab ~ 3f9c2ab41e...).
bool promptVersionMatches(std::string_view wanted, std::string_view stored);

// The form a prompt version is grouped under: a commit SHA by its first 7 hex
// digits in lower case, so that short and full SHAs of one commit (producers
// report either) count as one version; a label as it is.
std::string promptVersionKey(std::string_view version);

// Label filters of the queries; an unset field matches everything.
struct LabelFilter
{
    std::optional<std::string> tenant;
    std::optional<std::string> model;
    std::optional<std::string> provider;
    std::optional<std::string> promptName;
    std::optional<std::string> promptVersion;

    bool matches(const Labels &labels) const;
    bool empty() const { return !tenant && !model && !provider && !promptName && !promptVersion; }
    // "NAME" or "NAME@VERSION" as in `--prompt`.
    void setPrompt(std::string_view spec);
};

} // namespace vigil
