#include "ingest/file_identity.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace vigil {

std::optional<FileIdentity> identifyFile(int fd, std::optional<std::int64_t> headLength)
{
    struct stat st{};
    if (::fstat(fd, &st) != 0)
        return std::nullopt;
    FileIdentity id;
    id.device = static_cast<std::uint64_t>(st.st_dev);
    id.inode = static_cast<std::uint64_t>(st.st_ino);
    id.size = static_cast<std::int64_t>(st.st_size);
    id.headLength = headLength ? *headLength : std::min<std::int64_t>(id.size, kHeadHashBytes);
    if (id.headLength > id.size)
        return id; // cannot match: the caller compares lengths first
    std::vector<char> head(static_cast<std::size_t>(id.headLength));
    std::size_t got = 0;
    while (got < head.size()) {
        const ssize_t n = ::pread(fd, head.data() + got, head.size() - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return std::nullopt;
        got += static_cast<std::size_t>(n);
    }
    const QByteArray hash = QCryptographicHash::hash(
        QByteArrayView(head.data(), static_cast<qsizetype>(head.size())), QCryptographicHash::Sha256);
    id.headHash.assign(hash.constData(), static_cast<std::size_t>(hash.size()));
    return id;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> statPath(const std::string &path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return std::make_pair(static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino));
}

} // namespace vigil
