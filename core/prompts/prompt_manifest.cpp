#include "prompts/prompt_manifest.h"

#include "prompts/prompt_error.h"
#include "record/timestamp.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil {

namespace {

[[noreturn]] void fail(const std::string &what, int error)
{
    throw PromptError(PromptErrorKind::DeployUnwritable, what + ": " + std::strerror(error));
}

bool writeAll(int fd, const std::string &data)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

void syncFolder(const std::string &folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fail(folder + ": cannot open the deploy folder to sync it", errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        fail(folder + ": syncing the deploy folder", error);
}

// Writes `content` to a new temporary file in `folder`, synced; returns its path.
std::string writeTemporary(const std::string &folder, const std::string &content)
{
    std::string name = folder + "/." + kManifestFileName + ".XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        fail(folder + ": cannot create a file in the deploy folder", errno);
    if (!writeAll(fd, content) || ::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(name.c_str());
        fail(name + ": writing the manifest", error);
    }
    if (::fchmod(fd, 0644) != 0 || ::close(fd) != 0) {
        const int error = errno;
        ::unlink(name.c_str());
        fail(name + ": writing the manifest", error);
    }
    return name;
}

void ensureFolder(const std::string &folder)
{
    if (folder.empty())
        throw PromptError(PromptErrorKind::Refused,
                          "no deploy folder for prompts.lock.json: set [prompts] deploy_dir in vigil.toml or pass --deploy-dir");
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        fail(folder + ": cannot create the deploy folder", ec.value());
}

} // namespace

std::string manifestJson(const std::vector<ManifestEntry> &entries)
{
    QJsonObject prompts;
    for (const ManifestEntry &e : entries) {
        QJsonObject o{{QStringLiteral("sha"), QString::fromStdString(e.sha)},
                      {QStringLiteral("path"), QString::fromStdString(e.path)},
                      {QStringLiteral("activated_at"), QString::fromStdString(formatRfc3339Ms(e.activatedAtMs))},
                      {QStringLiteral("by"), QString::fromStdString(e.by)},
                      {QStringLiteral("reason"), e.reason ? QJsonValue(QString::fromStdString(*e.reason)) : QJsonValue()},
                      {QStringLiteral("content"),
                       e.content ? QJsonValue(QString::fromUtf8(e.content->data(), static_cast<qsizetype>(e.content->size())))
                                 : QJsonValue()}};
        prompts.insert(QString::fromStdString(e.name), o);
    }
    const QJsonObject root{{QStringLiteral("format"), 1}, {QStringLiteral("prompts"), prompts}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

ManifestWriter::ManifestWriter(std::string folder) : m_folder(std::move(folder))
{
    while (m_folder.size() > 1 && m_folder.back() == '/')
        m_folder.pop_back();
}

std::string ManifestWriter::path() const
{
    return m_folder + "/" + kManifestFileName;
}

void ManifestWriter::checkWritable() const
{
    ensureFolder(m_folder);
    const std::string probe = writeTemporary(m_folder, "probe\n");
    ::unlink(probe.c_str());
}

void ManifestWriter::write(const std::string &content) const
{
    ensureFolder(m_folder);
    const std::string temporary = writeTemporary(m_folder, content);
    if (::rename(temporary.c_str(), path().c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail(path() + ": replacing the manifest", error);
    }
    syncFolder(m_folder);
}

DeployFolderLock::DeployFolderLock(const std::string &folder)
{
    ensureFolder(folder);
    const std::string lockPath = folder + "/." + kManifestFileName + ".lock";
    m_fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        fail(lockPath + ": cannot open the deploy folder's lock file", errno);
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            const int error = errno;
            ::close(m_fd);
            m_fd = -1;
            fail(lockPath + ": cannot lock the deploy folder", error);
        }
    }
}

DeployFolderLock::~DeployFolderLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock
}

} // namespace vigil
