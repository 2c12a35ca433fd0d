#include "git_fixture.h"


#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vigil::test {

namespace {
void ok(int rc, const char *what)
{
    if (rc < 0) {
        const git_error *e = git_error_last();
        throw std::runtime_error(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error"));
    }
}
} // namespace

GitFixture::GitFixture(const std::string &path, bool bare) : m_path(path), m_bare(bare)
{
    git_libgit2_init();
    std::filesystem::create_directories(path);
    ok(git_repository_init(&m_repo, path.c_str(), bare ? 1 : 0), "git init");
}

GitFixture::~GitFixture()
{
    git_repository_free(m_repo);
    git_libgit2_shutdown();
}

std::string GitFixture::commit(const std::map<std::string, std::optional<std::string>> &files,
                               const std::string &message, const std::string &author, std::int64_t timeSeconds)
{
    // Each commit a little later than the one before, whatever the caller says.
    m_clock = std::max(m_clock + 60, timeSeconds);
    git_oid parentOid;
    git_commit *parent = nullptr;
    if (git_reference_name_to_id(&parentOid, m_repo, "HEAD") == 0)
        ok(git_commit_lookup(&parent, m_repo, &parentOid), "lookup HEAD");
    git_index *index = nullptr;
    ok(git_index_new(&index), "index");
    if (parent) {
        git_tree *tree = nullptr;
        ok(git_commit_tree(&tree, parent), "tree");
        ok(git_index_read_tree(index, tree), "read tree");
        git_tree_free(tree);
    }
    for (const auto &[file, content] : files) {
        if (!content) {
            ok(git_index_remove_bypath(index, file.c_str()), "remove");
            if (!m_bare)
                std::filesystem::remove(std::filesystem::path(m_path) / file);
            continue;
        }
        git_index_entry entry{};
        entry.mode = GIT_FILEMODE_BLOB;
        entry.path = file.c_str();
        entry.file_size = static_cast<std::uint32_t>(content->size());
        ok(git_blob_create_from_buffer(&entry.id, m_repo, content->data(), content->size()), "blob");
        ok(git_index_add(index, &entry), "add");
        if (!m_bare) {
            const auto full = std::filesystem::path(m_path) / file;
            std::filesystem::create_directories(full.parent_path());
            std::ofstream(full, std::ios::binary) << *content;
        }
    }
    git_oid treeOid;
    ok(git_index_write_tree_to(&treeOid, index, m_repo), "write tree");
    git_index_free(index);
    git_tree *tree = nullptr;
    ok(git_tree_lookup(&tree, m_repo, &treeOid), "lookup tree");
    git_signature *sig = nullptr;
    ok(git_signature_new(&sig, author.c_str(), "author@example.com", m_clock, 0), "signature");
    const git_commit *parents[] = {parent};
    git_oid commitOid;
    ok(git_commit_create(&commitOid, m_repo, "HEAD", sig, sig, nullptr, message.c_str(), tree, parent ? 1 : 0, parents),
       "commit");
    git_signature_free(sig);
    git_tree_free(tree);
    git_commit_free(parent);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &commitOid);
    return hex;
}

void GitFixture::tag(const std::string &name, const std::string &sha, bool annotated)
{
    git_oid oid;
    ok(git_oid_fromstr(&oid, sha.c_str()), "oid");
    git_object *target = nullptr;
    ok(git_object_lookup(&target, m_repo, &oid, GIT_OBJECT_COMMIT), "lookup");
    git_oid tagOid;
    if (annotated) {
        git_signature *sig = nullptr;
        ok(git_signature_new(&sig, "Tagger", "tagger@example.com", m_clock, 0), "signature");
        ok(git_tag_create(&tagOid, m_repo, name.c_str(), target, sig, "release", 0), "tag");
        git_signature_free(sig);
    } else {
        ok(git_tag_create_lightweight(&tagOid, m_repo, name.c_str(), target, 0), "tag");
    }
    git_object_free(target);
}

} // namespace vigil::test
