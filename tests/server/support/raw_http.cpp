#include "raw_http.h"

#include <zlib.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::test {

namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string lower(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return std::string(s);
}

std::string compress(std::string_view data, int windowBits, int level)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, windowBits, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 64);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate did not finish");
    return out;
}

} // namespace

std::string HttpResponse::header(std::string_view lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

std::string requestBytes(std::string_view method, std::string_view path, const Headers &headers,
                         std::string_view body)
{
    std::string out = std::string(method) + ' ' + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool framed = false;
    for (const auto &[name, value] : headers) {
        const std::string n = lower(name);
        framed = framed || n == "content-length" || n == "transfer-encoding";
        out += name + ": " + value + "\r\n";
    }
    if (!framed && (!body.empty() || method == "POST"))
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::string chunked(std::string_view body, std::size_t chunkSize)
{
    std::string out;
    char size[32];
    for (std::size_t i = 0; i < body.size(); i += chunkSize) {
        const std::string_view piece = body.substr(i, chunkSize);
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        out += size;
        out += piece;
        out += "\r\n";
    }
    return out + "0\r\n\r\n";
}

RawConnection::RawConnection(std::uint16_t port, const std::string &host)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        close();
        return;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection()
{
    close();
}

void RawConnection::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool RawConnection::send(std::string_view bytes)
{
    while (!bytes.empty() && m_fd >= 0) {
        const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return m_fd >= 0;
}

std::optional<HttpResponse> RawConnection::read(int timeoutMs)
{
    const std::int64_t end = nowMs() + timeoutMs;
    auto more = [&]() -> bool {
        if (m_fd < 0)
            return false;
        const std::int64_t left = end - nowMs();
        if (left <= 0)
            return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            return false;
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    };
    std::size_t headEnd;
    while ((headEnd = m_buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!more())
            return std::nullopt;
    }
    HttpResponse response;
    const std::string head = m_buffer.substr(0, headEnd);
    std::size_t lineEnd = head.find("\r\n");
    const std::string statusLine = head.substr(0, lineEnd);
    if (statusLine.rfind("HTTP/1.", 0) != 0 || statusLine.size() < 12)
        return std::nullopt;
    response.status = std::stoi(statusLine.substr(9, 3));
    while (lineEnd != std::string::npos) {
        const std::size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        const std::string line = head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
        const auto colon = line.find(':');
        if (colon != std::string::npos)
            response.headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    m_buffer.erase(0, headEnd + 4);
    if (response.status >= 100 && response.status < 200)
        return response;
    const std::string length = response.header("content-length");
    if (!length.empty()) {
        const auto n = static_cast<std::size_t>(std::stoull(length));
        while (m_buffer.size() < n) {
            if (!more())
                return std::nullopt;
        }
        response.body = m_buffer.substr(0, n);
        m_buffer.erase(0, n);
    } else {
        while (more()) {
        }
        response.body = std::move(m_buffer);
        m_buffer.clear();
    }
    return response;
}

bool RawConnection::waitForClose(int timeoutMs)
{
    const std::int64_t end = nowMs() + timeoutMs;
    while (m_fd >= 0) {
        const std::int64_t left = end - nowMs();
        if (left <= 0)
            return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0)
            return false;
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return true;
        if (n < 0 && errno != EINTR)
            return true;
    }
    return true;
}

std::optional<HttpResponse> httpRequest(std::uint16_t port, std::string_view method, std::string_view path,
                                        const Headers &headers, std::string_view body, int timeoutMs)
{
    RawConnection c(port);
    if (!c.connected() || !c.send(requestBytes(method, path, headers, body)))
        return std::nullopt;
    return c.read(timeoutMs);
}

std::string gzipBytes(std::string_view data, int level)
{
    return compress(data, 15 + 16, level);
}

std::string zlibBytes(std::string_view data)
{
    return compress(data, 15, 6);
}

} // namespace vigil::test
