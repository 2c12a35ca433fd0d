#pragma once

#include <stdexcept>
#include <string>

namespace vigil {

enum class PromptErrorKind {
    RepositoryUnavailable, // missing, unreadable or not a git repository
    UnknownPrompt,         // no file for that name in the prompts folder
    UnknownVersion,        // neither a commit SHA of the repository nor a tag
    NotAVersion,           // a real commit that did not change that prompt's file
    AmbiguousVersion,      // a SHA prefix that matches several versions
    Refused,               // nothing to roll back to, already active, no deploy folder
    DeployUnwritable,      // the manifest folder cannot be written: nothing was switched
    Git,                   // libgit2 failed while reading a readable repository
};

// Everything the prompt registry and switcher refuse or fail at, in words an
// operator can act on (the message names the repository, prompt and SHA).
class PromptError : public std::runtime_error
{
public:
    PromptError(PromptErrorKind kind, const std::string &message)
        : std::runtime_error(message), m_kind(kind)
    {
    }
    PromptErrorKind kind() const { return m_kind; }
    // Bad input (CLI exit 2) as opposed to a runtime failure (exit 3).
    bool isBadInput() const;

private:
    PromptErrorKind m_kind;
};

} // namespace vigil
