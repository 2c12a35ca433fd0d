#include "prompts/prompt_registry.h"

#include "prompts/git_handles.h"
#include "prompts/prompt_error.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <unordered_map>

namespace vigil {

namespace {

// The prompt files of one prompts-folder tree.
struct Listing
{
    struct File
    {
        git_oid blob;
        std::string path;
    };
    std::map<std::string, File> files; // by prompt name
    std::vector<std::string> problems;
};

struct CommitNode
{
    git_oid oid;
    std::string subtreeKey; // the prompts folder's tree id, "" when the folder is absent
    const Listing *listing = nullptr;
};

struct VersionEntry
{
    PromptVersion version;
    git_oid commit;
    git_oid blob;
};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string joinPath(const std::string &folder, const std::string &file)
{
    return folder.empty() ? file : folder + "/" + file;
}

std::string normalisedFolder(std::string folder)
{
    while (!folder.empty() && folder.back() == '/')
        folder.pop_back();
    while (folder.starts_with("./"))
        folder.erase(0, 2);
    if (folder == ".")
        folder.clear();
    return folder;
}

} // namespace

bool looksLikeShaPrefix(std::string_view text)
{
    if (text.size() < 7 || text.size() > GIT_OID_HEXSZ)
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

const std::vector<std::string> &PromptRegistry::extensions()
{
    static const std::vector<std::string> list = {".txt", ".md", ".prompt", ".j2", ".jinja", ".yaml"};
    return list;
}

std::optional<std::string> PromptRegistry::promptNameOf(std::string_view fileName)
{
    for (const std::string &ext : extensions()) {
        if (fileName.size() > ext.size() && fileName.ends_with(ext))
            return std::string(fileName.substr(0, fileName.size() - ext.size()));
    }
    return std::nullopt;
}

struct PromptRegistry::Impl
{
    git::Library library;
    RegistryOptions options;
    git::Repository repo;

    std::string fingerprint; // HEAD and tags as last read
    bool loaded = false;
    std::string head;
    std::unordered_map<std::string, Listing> listings;       // by prompts-folder tree id
    std::unordered_map<std::string, CommitNode> commits;      // by commit id
    std::map<std::string, std::vector<VersionEntry>> history; // by name, newest first
    std::map<std::string, std::string> tags;                  // tag -> commit id
    const Listing *headListing = nullptr;

    explicit Impl(RegistryOptions o) : options(std::move(o))
    {
        options.promptsFolder = normalisedFolder(options.promptsFolder);
        std::error_code ec;
        if (options.repositoryPath.empty())
            throw PromptError(PromptErrorKind::RepositoryUnavailable,
                              "no prompts repository given (--repo PATH, or [prompts] repo in vigil.toml)");
        if (!std::filesystem::is_directory(options.repositoryPath, ec))
            throw PromptError(PromptErrorKind::RepositoryUnavailable,
                              options.repositoryPath + ": no such folder (the prompts repository)");
        git_repository *raw = nullptr;
        if (git_repository_open_ext(&raw, options.repositoryPath.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                    nullptr) != 0) {
            const git_error *e = git_error_last();
            throw PromptError(PromptErrorKind::RepositoryUnavailable,
                              options.repositoryPath + ": not a readable git repository" +
                                  (e && e->message ? std::string(" (") + e->message + ")" : std::string()));
        }
        repo.reset(raw);
    }

    std::string readFingerprint(std::string &headOut, std::map<std::string, std::string> &tagsOut)
    {
        git_oid oid;
        headOut.clear();
        if (git_reference_name_to_id(&oid, repo.get(), "HEAD") == 0)
            headOut = git::oidHex(oid);
        else if (git_repository_head_unborn(repo.get()) != 1)
            git::check(-1, options.repositoryPath + ": reading HEAD");
        std::vector<std::pair<std::string, git_oid>> refs;
        git_tag_foreach(
            repo.get(),
            [](const char *name, git_oid *id, void *payload) {
                static_cast<std::vector<std::pair<std::string, git_oid>> *>(payload)->emplace_back(name, *id);
                return 0;
            },
            &refs);
        tagsOut.clear();
        std::string print = headOut;
        for (const auto &[ref, id] : refs) {
            git_object *rawObject = nullptr;
            if (git_object_lookup(&rawObject, repo.get(), &id, GIT_OBJECT_ANY) != 0)
                continue;
            git::Object object(rawObject);
            git_object *rawPeeled = nullptr;
            if (git_object_peel(&rawPeeled, object.get(), GIT_OBJECT_COMMIT) != 0)
                continue;
            git::Object peeled(rawPeeled);
            const std::string name = std::string_view(ref).starts_with("refs/tags/") ? ref.substr(10) : ref;
            tagsOut[name] = git::oidHex(*git_object_id(peeled.get()));
        }
        for (const auto &[name, sha] : tagsOut)
            print += "\n" + name + "=" + sha;
        return print;
    }

    const Listing &listingOf(const git_tree *folderTree, const std::string &key)
    {
        if (auto it = listings.find(key); it != listings.end())
            return it->second;
        Listing listing;
        std::map<std::string, std::size_t> rank; // extension priority of the file kept per name
        if (folderTree) {
            const std::size_t n = git_tree_entrycount(folderTree);
            for (std::size_t i = 0; i < n; ++i) {
                const git_tree_entry *entry = git_tree_entry_byindex(folderTree, i);
                if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
                    continue;
                const std::string file = git_tree_entry_name(entry);
                const auto name = promptNameOf(file);
                if (!name)
                    continue;
                const auto &exts = extensions();
                const std::size_t r = static_cast<std::size_t>(
                    std::find_if(exts.begin(), exts.end(), [&](const std::string &e) { return file.ends_with(e); }) -
                    exts.begin());
                const std::string path = joinPath(options.promptsFolder, file);
                if (auto it = listing.files.find(*name); it != listing.files.end()) {
                    listing.problems.push_back("prompt \"" + *name + "\" has two files: " + it->second.path +
                                               " and " + path + "; using the " +
                                               (r < rank[*name] ? path : it->second.path));
                    if (r >= rank[*name])
                        continue;
                }
                rank[*name] = r;
                listing.files[*name] = {*git_tree_entry_id(entry), path};
            }
        }
        return listings.emplace(key, std::move(listing)).first->second;
    }

    const CommitNode &nodeOf(const git_oid &oid)
    {
        const std::string sha = git::oidHex(oid);
        if (auto it = commits.find(sha); it != commits.end())
            return it->second;
        git_commit *rawCommit = nullptr;
        git::check(git_commit_lookup(&rawCommit, repo.get(), &oid), "reading commit " + sha);
        git::Commit commit(rawCommit);
        git::Tree root = git::commitTree(commit.get());
        CommitNode node{oid, {}, nullptr};
        git::Tree folderTree;
        if (options.promptsFolder.empty()) {
            node.subtreeKey = git::oidHex(*git_tree_id(root.get()));
            git_tree *raw = nullptr;
            git::check(git_tree_lookup(&raw, repo.get(), git_tree_id(root.get())), "reading a tree");
            folderTree.reset(raw);
        } else {
            git_tree_entry *rawEntry = nullptr;
            if (git_tree_entry_bypath(&rawEntry, root.get(), options.promptsFolder.c_str()) == 0) {
                git::TreeEntry entry(rawEntry);
                if (git_tree_entry_type(entry.get()) == GIT_OBJECT_TREE) {
                    node.subtreeKey = git::oidHex(*git_tree_entry_id(entry.get()));
                    git_tree *raw = nullptr;
                    git::check(git_tree_lookup(&raw, repo.get(), git_tree_entry_id(entry.get())), "reading a tree");
                    folderTree.reset(raw);
                }
            }
        }
        node.listing = &listingOf(folderTree.get(), node.subtreeKey);
        return commits.emplace(sha, node).first->second;
    }

    PromptVersion describe(const git_commit *commit, const std::string &path)
    {
        PromptVersion v;
        v.sha = git::oidHex(*git_commit_id(commit));
        v.shortSha = v.sha.substr(0, 7);
        if (const git_signature *author = git_commit_author(commit)) {
            v.author = author->name ? author->name : "";
            v.authorEmail = author->email ? author->email : "";
            v.dateMs = static_cast<std::int64_t>(author->when.time) * 1000;
        }
        if (const char *summary = git_commit_summary(const_cast<git_commit *>(commit)))
            v.subject = summary;
        v.path = path;
        return v;
    }

    void rebuild()
    {
        // Commits and trees never change, so their cached listings stay valid.
        history.clear();
        headListing = nullptr;
        if (head.empty())
            return;
        git_oid headOid;
        git::oidFromHex(head, headOid);
        git_revwalk *rawWalk = nullptr;
        git::check(git_revwalk_new(&rawWalk, repo.get()), "walking the history");
        git::RevWalk walk(rawWalk);
        git::check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), "walking the history");
        git::check(git_revwalk_push(walk.get(), &headOid), "walking the history");
        std::multimap<std::string, std::string> tagsByCommit;
        for (const auto &[tag, sha] : tags)
            tagsByCommit.emplace(sha, tag);
        git_oid oid;
        while (git_revwalk_next(&oid, walk.get()) == 0) {
            const CommitNode node = nodeOf(oid);
            git_commit *rawCommit = nullptr;
            git::check(git_commit_lookup(&rawCommit, repo.get(), &oid), "reading a commit");
            git::Commit commit(rawCommit);
            const unsigned parents = git_commit_parentcount(commit.get());
            std::vector<const CommitNode *> parentNodes;
            bool sameAsAParent = false;
            for (unsigned i = 0; i < parents; ++i) {
                const CommitNode &p = nodeOf(*git_commit_parent_id(commit.get(), i));
                sameAsAParent = sameAsAParent || p.subtreeKey == node.subtreeKey;
                parentNodes.push_back(&p);
            }
            if (sameAsAParent)
                continue; // no prompt file differs from that parent's
            for (const auto &[name, file] : node.listing->files) {
                const bool changed = std::all_of(parentNodes.begin(), parentNodes.end(), [&](const CommitNode *p) {
                    const auto it = p->listing->files.find(name);
                    return it == p->listing->files.end() || !git_oid_equal(&it->second.blob, &file.blob);
                });
                if (!changed)
                    continue;
                VersionEntry entry{describe(commit.get(), file.path), oid, file.blob};
                const auto [from, to] = tagsByCommit.equal_range(entry.version.sha);
                for (auto it = from; it != to; ++it)
                    entry.version.tags.push_back(it->second);
                history[name].push_back(std::move(entry));
            }
        }
        headListing = nodeOf(headOid).listing;
    }

    bool refresh()
    {
        std::string newHead;
        std::map<std::string, std::string> newTags;
        const std::string print = readFingerprint(newHead, newTags);
        if (loaded && print == fingerprint)
            return false;
        head = newHead;
        tags = std::move(newTags);
        try {
            rebuild();
        } catch (const git::Error &e) {
            loaded = false;
            throw PromptError(PromptErrorKind::Git, options.repositoryPath + ": " + e.what());
        }
        fingerprint = print;
        loaded = true;
        return true;
    }

    void refreshOrThrow()
    {
        try {
            refresh();
        } catch (const git::Error &e) {
            throw PromptError(PromptErrorKind::Git, options.repositoryPath + ": " + e.what());
        }
    }

    const std::vector<VersionEntry> &historyOf(const std::string &name)
    {
        refreshOrThrow();
        const auto it = history.find(name);
        if (!headListing || !headListing->files.count(name) || it == history.end()) {
            const std::string folder = options.promptsFolder.empty() ? "the repository's root" : options.promptsFolder + "/";
            throw PromptError(PromptErrorKind::UnknownPrompt,
                              "no prompt \"" + name + "\" in " + folder + " of " + options.repositoryPath +
                                  " at HEAD (a prompt is a " + extensionList() + " file named after it)");
        }
        return it->second;
    }

    static std::string extensionList()
    {
        std::string out;
        for (const auto &e : extensions())
            out += (out.empty() ? "" : ", ") + e;
        return out;
    }

    // The version of `name` in effect at a commit: the newest version with the
    // same file content that the commit descends from.
    std::optional<PromptVersion> versionInEffectAt(const std::string &name, const std::string &commitSha)
    {
        const auto &versions = historyOf(name);
        git_oid commitOid;
        if (!git::oidFromHex(commitSha, commitOid))
            return std::nullopt;
        const CommitNode &node = nodeOf(commitOid);
        const auto file = node.listing->files.find(name);
        if (file == node.listing->files.end())
            return std::nullopt;
        for (const VersionEntry &v : versions) {
            if (!git_oid_equal(&v.blob, &file->second.blob))
                continue;
            if (git_oid_equal(&v.commit, &commitOid) ||
                git_graph_descendant_of(repo.get(), &commitOid, &v.commit) == 1)
                return v.version;
        }
        return std::nullopt;
    }

    std::vector<const VersionEntry *> byPrefix(const std::string &name, std::string_view prefix)
    {
        std::vector<const VersionEntry *> found;
        const std::string p = lower(prefix);
        for (const VersionEntry &v : historyOf(name)) {
            if (v.version.sha.starts_with(p))
                found.push_back(&v);
        }
        return found;
    }
};

PromptRegistry::PromptRegistry(RegistryOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}

PromptRegistry::~PromptRegistry() = default;

const RegistryOptions &PromptRegistry::options() const
{
    return m_impl->options;
}

bool PromptRegistry::isBare() const
{
    return git_repository_is_bare(m_impl->repo.get()) == 1;
}

bool PromptRegistry::refresh()
{
    try {
        return m_impl->refresh();
    } catch (const git::Error &e) {
        throw PromptError(PromptErrorKind::Git, m_impl->options.repositoryPath + ": " + e.what());
    }
}

std::string PromptRegistry::headSha()
{
    m_impl->refreshOrThrow();
    return m_impl->head;
}

std::vector<PromptInfo> PromptRegistry::prompts()
{
    m_impl->refreshOrThrow();
    std::vector<PromptInfo> out;
    if (!m_impl->headListing)
        return out;
    for (const auto &[name, file] : m_impl->headListing->files) {
        PromptInfo info;
        info.name = name;
        info.path = file.path;
        if (const auto it = m_impl->history.find(name); it != m_impl->history.end() && !it->second.empty()) {
            info.versionCount = it->second.size();
            info.latestSha = it->second.front().version.sha;
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<PromptVersion> PromptRegistry::versions(const std::string &name)
{
    std::vector<PromptVersion> out;
    for (const VersionEntry &v : m_impl->historyOf(name))
        out.push_back(v.version);
    return out;
}

PromptVersion PromptRegistry::resolve(const std::string &name, const std::string &spec)
{
    const auto &history = m_impl->historyOf(name);
    const std::string &repoPath = m_impl->options.repositoryPath;
    if (const auto tag = m_impl->tags.find(spec); tag != m_impl->tags.end()) {
        if (auto v = m_impl->versionInEffectAt(name, tag->second))
            return *v;
        throw PromptError(PromptErrorKind::NotAVersion, "tag \"" + spec + "\" (commit " + tag->second.substr(0, 7) +
                                                            ") has no version of prompt \"" + name + "\"");
    }
    if (!looksLikeShaPrefix(spec)) {
        throw PromptError(PromptErrorKind::UnknownVersion,
                          "\"" + spec + "\" is neither a commit SHA (7 to 40 hex digits) nor a tag of " + repoPath);
    }
    const auto found = m_impl->byPrefix(name, spec);
    if (found.size() == 1)
        return found.front()->version;
    if (found.size() > 1) {
        std::string list;
        for (const auto *v : found)
            list += (list.empty() ? "" : ", ") + v->version.sha.substr(0, 12);
        throw PromptError(PromptErrorKind::AmbiguousVersion,
                          spec + " matches several versions of \"" + name + "\" (" + list + "): give more digits");
    }
    git_oid prefix;
    git_oid_fromstrn(&prefix, spec.data(), spec.size());
    git_object *raw = nullptr;
    const int rc = git_object_lookup_prefix(&raw, m_impl->repo.get(), &prefix, spec.size(), GIT_OBJECT_COMMIT);
    if (rc == 0) {
        git::Object object(raw);
        const auto *commit = reinterpret_cast<const git_commit *>(object.get());
        const std::string sha = git::oidHex(*git_object_id(object.get()));
        const char *summary = git_commit_summary(const_cast<git_commit *>(commit));
        std::string recent;
        for (std::size_t i = 0; i < history.size() && i < 3; ++i)
            recent += (recent.empty() ? "" : ", ") + history[i].version.shortSha;
        throw PromptError(PromptErrorKind::NotAVersion,
                          "commit " + sha.substr(0, 7) + " (\"" + (summary ? summary : "") + "\") did not change " +
                              history.front().version.path + ", so it is not a version of \"" + name +
                              "\" (its latest versions: " + recent + "; see vigilctl prompt log " + name + ")");
    }
    if (rc == GIT_EAMBIGUOUS)
        throw PromptError(PromptErrorKind::AmbiguousVersion, spec + " matches several commits of " + repoPath + ": give more digits");
    throw PromptError(PromptErrorKind::UnknownVersion, "no commit " + spec + " in " + repoPath);
}

std::optional<PromptVersion> PromptRegistry::matchStamp(const std::string &name, std::string_view stamp)
{
    try {
        m_impl->refreshOrThrow();
        if (!m_impl->history.count(name))
            return std::nullopt;
        if (const auto tag = m_impl->tags.find(std::string(stamp)); tag != m_impl->tags.end())
            return m_impl->versionInEffectAt(name, tag->second);
        if (!looksLikeShaPrefix(stamp))
            return std::nullopt;
        const auto found = m_impl->byPrefix(name, stamp);
        if (found.size() == 1)
            return found.front()->version;
    } catch (const PromptError &e) {
        if (e.kind() != PromptErrorKind::UnknownPrompt)
            throw;
    }
    return std::nullopt;
}

std::string PromptRegistry::content(const std::string &name, const std::string &sha)
{
    return fileAt(name, sha).content;
}

PromptRegistry::FileAt PromptRegistry::fileAt(const std::string &name, const std::string &sha)
{
    m_impl->refreshOrThrow();
    const std::string &repoPath = m_impl->options.repositoryPath;
    if (!looksLikeShaPrefix(sha))
        throw PromptError(PromptErrorKind::UnknownVersion, "\"" + sha + "\" is not a commit SHA (7 to 40 hex digits)");
    git_oid prefix;
    git_oid_fromstrn(&prefix, sha.data(), sha.size());
    git_object *raw = nullptr;
    if (git_object_lookup_prefix(&raw, m_impl->repo.get(), &prefix, sha.size(), GIT_OBJECT_COMMIT) != 0)
        throw PromptError(PromptErrorKind::UnknownVersion, "no commit " + sha + " in " + repoPath);
    git::Object object(raw);
    try {
        const CommitNode &node = m_impl->nodeOf(*git_object_id(object.get()));
        const auto file = node.listing->files.find(name);
        if (file == node.listing->files.end())
            throw PromptError(PromptErrorKind::UnknownPrompt,
                              "commit " + sha.substr(0, 7) + " of " + repoPath + " has no file for prompt \"" + name + "\"");
        git_blob *rawBlob = nullptr;
        git::check(git_blob_lookup(&rawBlob, m_impl->repo.get(), &file->second.blob), "reading " + file->second.path);
        git::Blob blob(rawBlob);
        return {file->second.path, std::string(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                                               static_cast<std::size_t>(git_blob_rawsize(blob.get())))};
    } catch (const git::Error &e) {
        throw PromptError(PromptErrorKind::Git, repoPath + ": " + e.what());
    }
}

std::vector<std::string> PromptRegistry::problems()
{
    m_impl->refreshOrThrow();
    return m_impl->headListing ? m_impl->headListing->problems : std::vector<std::string>();
}

} // namespace vigil
