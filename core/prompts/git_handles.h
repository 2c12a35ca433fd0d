#pragma once
// prompts/: the prompt registry over git. Prompts live in a git repository
// (working or bare), one file per prompt in a prompts folder; each commit that
// changed a prompt's file is a version of it, named by its SHA. Read with
// libgit2 through the RAII handles below (never by shelling out to git): the
// registry (versions, tags, contents, SHA-prefix and tag matching), the
// activation of a version with its operator-log entry and the atomic deploy
// manifest prompts.lock.json, the diff engine, per-version live metrics and
// the prompt-regression check. Internal header: git2.h stays inside prompts/.

#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::git {

template <typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)> using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using TreeEntry = Handle<git_tree_entry, git_tree_entry_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Object = Handle<git_object, git_object_free>;
using RevWalk = Handle<git_revwalk, git_revwalk_free>;
using Index = Handle<git_index, git_index_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Reference = Handle<git_reference, git_reference_free>;

// Keeps libgit2 initialised while alive (init and shutdown are reference counted).
class Library final
{
public:
    Library();
    ~Library();
    Library(const Library &) = delete;
    Library &operator=(const Library &) = delete;
};

// A libgit2 failure with libgit2's own message.
class Error : public std::runtime_error
{
public:
    Error(int code, const std::string &message) : std::runtime_error(message), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

// Throws Error("<what>: <libgit2's message>") when rc < 0.
void check(int rc, std::string_view what);

std::string oidHex(const git_oid &oid);
// Parses 40 hex digits; false otherwise.
bool oidFromHex(std::string_view hex, git_oid &out);

// The tree of a commit, the commit's blob at a path (null when absent).
Tree commitTree(const git_commit *commit);
Blob blobAtPath(git_repository *repo, const git_tree *root, const std::string &path);

} // namespace vigil::git
