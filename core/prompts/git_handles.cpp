#include "prompts/git_handles.h"

namespace vigil::git {

Library::Library()
{
    git_libgit2_init();
}

Library::~Library()
{
    git_libgit2_shutdown();
}

void check(int rc, std::string_view what)
{
    if (rc >= 0)
        return;
    const git_error *e = git_error_last();
    std::string message(what);
    if (e && e->message)
        message += std::string(": ") + e->message;
    throw Error(rc, message);
}

std::string oidHex(const git_oid &oid)
{
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, &oid);
    return buffer;
}

bool oidFromHex(std::string_view hex, git_oid &out)
{
    return hex.size() == GIT_OID_HEXSZ && git_oid_fromstrn(&out, hex.data(), hex.size()) == 0;
}

Tree commitTree(const git_commit *commit)
{
    git_tree *tree = nullptr;
    check(git_commit_tree(&tree, commit), "reading a commit's tree");
    return Tree(tree);
}

Blob blobAtPath(git_repository *repo, const git_tree *root, const std::string &path)
{
    git_tree_entry *raw = nullptr;
    if (git_tree_entry_bypath(&raw, root, path.c_str()) != 0)
        return {};
    TreeEntry entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB)
        return {};
    git_blob *blob = nullptr;
    check(git_blob_lookup(&blob, repo, git_tree_entry_id(entry.get())), "reading " + path);
    return Blob(blob);
}

} // namespace vigil::git
