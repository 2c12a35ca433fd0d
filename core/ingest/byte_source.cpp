#include "ingest/byte_source.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace vigil {

namespace {

long long readRetrying(int fd, char *buffer, std::size_t size)
{
    while (true) {
        const ssize_t n = ::read(fd, buffer, size);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

class PlainSource final : public ByteSource
{
public:
    explicit PlainSource(int fd) : m_fd(fd) {}
    long long read(char *buffer, std::size_t size) override
    {
        const long long n = readRetrying(m_fd, buffer, size);
        if (n < 0)
            m_error = std::strerror(errno);
        else
            m_position += n;
        return n;
    }
    std::string error() const override { return m_error; }
    std::int64_t rawPosition() const override { return m_position; }

private:
    int m_fd;
    std::string m_error;
    std::int64_t m_position = 0;
};

class GzipSource final : public ByteSource
{
public:
    explicit GzipSource(int fd) : m_fd(fd), m_in(1 << 16)
    {
        std::memset(&m_stream, 0, sizeof m_stream);
        m_ok = inflateInit2(&m_stream, 15 + 32) == Z_OK; // 32: accept the gzip header
    }
    ~GzipSource() override { inflateEnd(&m_stream); }

    long long read(char *buffer, std::size_t size) override
    {
        if (!m_ok)
            return fail("cannot initialise zlib");
        m_stream.next_out = reinterpret_cast<Bytef *>(buffer);
        m_stream.avail_out = static_cast<uInt>(size);
        while (m_stream.avail_out == size) {
            if (m_stream.avail_in == 0) {
                if (m_inputDone)
                    break;
                const long long n = readRetrying(m_fd, m_in.data(), m_in.size());
                if (n < 0)
                    return fail(std::strerror(errno));
                if (n == 0) {
                    m_inputDone = true;
                    if (m_midMember)
                        return fail("the gzip stream ends early (truncated file)");
                    break;
                }
                m_position += n;
                m_stream.next_in = reinterpret_cast<Bytef *>(m_in.data());
                m_stream.avail_in = static_cast<uInt>(n);
            }
            const int rc = inflate(&m_stream, Z_NO_FLUSH);
            m_midMember = true;
            if (rc == Z_STREAM_END) {
                // A gzip file may hold several members one after another.
                m_midMember = false;
                inflateReset(&m_stream);
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                return fail(std::string("corrupt gzip data: ") +
                            (m_stream.msg ? m_stream.msg : "inflate failed"));
            }
        }
        return static_cast<long long>(size - m_stream.avail_out);
    }
    std::string error() const override { return m_error; }
    std::int64_t rawPosition() const override { return m_position; }

private:
    long long fail(std::string message)
    {
        m_error = std::move(message);
        return -1;
    }

    int m_fd;
    std::vector<char> m_in;
    z_stream m_stream;
    bool m_ok = false;
    bool m_inputDone = false;
    bool m_midMember = false;
    std::string m_error;
    std::int64_t m_position = 0;
};

} // namespace

std::unique_ptr<ByteSource> makePlainSource(int fd)
{
    return std::make_unique<PlainSource>(fd);
}

std::unique_ptr<ByteSource> makeGzipSource(int fd)
{
    return std::make_unique<GzipSource>(fd);
}

bool looksGzipped(const char *head, std::size_t size)
{
    return size >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
           static_cast<unsigned char>(head[1]) == 0x8b;
}

} // namespace vigil
