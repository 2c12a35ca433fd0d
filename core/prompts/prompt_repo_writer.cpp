#include "prompts/prompt_repo_writer.h"

#include "prompts/git_handles.h"
#include "prompts/prompt_error.h"

#include <filesystem>
#include <fstream>

namespace vigil {

struct PromptRepoWriter::Impl
{
    git::Library library;
    git::Repository repo;
    std::string path;
    bool bare = false;
};

PromptRepoWriter::PromptRepoWriter(const std::string &path, bool bare) : m_impl(std::make_unique<Impl>())
{
    m_impl->path = path;
    m_impl->bare = bare;
    git_repository *raw = nullptr;
    try {
        if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
            std::filesystem::create_directories(path);
            git::check(git_repository_init(&raw, path.c_str(), bare ? 1 : 0), "creating a git repository at " + path);
        }
    } catch (const git::Error &e) {
        throw PromptError(PromptErrorKind::Git, e.what());
    }
    m_impl->repo.reset(raw);
    m_impl->bare = git_repository_is_bare(raw) == 1;
}

PromptRepoWriter::~PromptRepoWriter() = default;

std::string PromptRepoWriter::commitFile(const std::string &path, const std::string &content, const Author &author,
                                         const std::string &message)
{
    git_repository *repo = m_impl->repo.get();
    try {
        git_oid parentOid;
        const bool hasParent = git_reference_name_to_id(&parentOid, repo, "HEAD") == 0;
        git::Commit parent;
        if (hasParent) {
            git_commit *raw = nullptr;
            git::check(git_commit_lookup(&raw, repo, &parentOid), "reading HEAD");
            parent.reset(raw);
        }
        // The repository's own index for a working tree; an in-memory one for a bare repository.
        git_index *rawIndex = nullptr;
        if (m_impl->bare)
            git::check(git_index_new(&rawIndex), "creating an index");
        else
            git::check(git_repository_index(&rawIndex, repo), "opening the index");
        git::Index index(rawIndex);
        if (parent && m_impl->bare) {
            git::Tree tree = git::commitTree(parent.get());
            git::check(git_index_read_tree(index.get(), tree.get()), "reading HEAD's tree");
        }
        git_index_entry entry{};
        entry.mode = GIT_FILEMODE_BLOB;
        entry.path = path.c_str();
        entry.file_size = static_cast<std::uint32_t>(content.size());
        git::check(git_blob_create_from_buffer(&entry.id, repo, content.data(), content.size()), "storing " + path);
        git::check(git_index_add(index.get(), &entry), "adding " + path);
        git_oid treeOid;
        git::check(git_index_write_tree_to(&treeOid, index.get(), repo), "writing the tree");
        if (!m_impl->bare) {
            git::check(git_index_write(index.get()), "writing the index");
            const std::filesystem::path file = std::filesystem::path(m_impl->path) / path;
            std::filesystem::create_directories(file.parent_path());
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
            if (!out.flush())
                throw git::Error(-1, "writing " + file.string());
        }
        git_tree *rawTree = nullptr;
        git::check(git_tree_lookup(&rawTree, repo, &treeOid), "reading the new tree");
        git::Tree tree(rawTree);
        git_signature *rawSignature = nullptr;
        git::check(git_signature_new(&rawSignature, author.name.c_str(), author.email.c_str(),
                                     static_cast<git_time_t>(author.timeMs / 1000), 0),
                   "making the signature");
        git::Signature signature(rawSignature);
        const git_commit *parents[] = {parent.get()};
        git_oid commitOid;
        git::check(git_commit_create(&commitOid, repo, "HEAD", signature.get(), signature.get(), nullptr,
                                     message.c_str(), tree.get(), parent ? 1 : 0, parents),
                   "committing " + path);
        return git::oidHex(commitOid);
    } catch (const git::Error &e) {
        throw PromptError(PromptErrorKind::Git, m_impl->path + ": " + e.what());
    } catch (const std::filesystem::filesystem_error &e) {
        throw PromptError(PromptErrorKind::Git, m_impl->path + ": " + e.what());
    }
}

void PromptRepoWriter::tag(const std::string &name, const std::string &sha)
{
    try {
        git_oid oid;
        if (!git::oidFromHex(sha, oid))
            throw git::Error(-1, "not a full SHA: " + sha);
        git_object *raw = nullptr;
        git::check(git_object_lookup(&raw, m_impl->repo.get(), &oid, GIT_OBJECT_COMMIT), "reading " + sha);
        git::Object target(raw);
        git_oid tagOid;
        git::check(git_tag_create_lightweight(&tagOid, m_impl->repo.get(), name.c_str(), target.get(), 0),
                   "tagging " + name);
    } catch (const git::Error &e) {
        throw PromptError(PromptErrorKind::Git, m_impl->path + ": " + e.what());
    }
}

} // namespace vigil
