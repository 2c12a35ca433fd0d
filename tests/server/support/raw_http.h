#pragma once
// A deliberately small HTTP/1.1 client over a blocking POSIX socket, so a
// test controls every byte it sends (split headers, pipelined requests,
// chunked bodies, stalls) and sees every byte it gets back (interim 100
// responses, connection: close, the server closing on us).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse
{
    int status = 0;
    Headers headers; // names lowercased
    std::string body;

    std::string header(std::string_view lowercaseName) const;
    bool closesConnection() const { return header("connection") == "close"; }
};

// The bytes of one request; Content-Length is added for a body unless the
// headers already carry Content-Length or Transfer-Encoding.
std::string requestBytes(std::string_view method, std::string_view path, const Headers &headers = {},
                         std::string_view body = {});
// A body in chunked transfer coding, cut into `chunkSize` pieces.
std::string chunked(std::string_view body, std::size_t chunkSize);

class RawConnection final
{
public:
    explicit RawConnection(std::uint16_t port, const std::string &host = "127.0.0.1");
    ~RawConnection();
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool connected() const { return m_fd >= 0; }
    // False when the peer has closed (EPIPE / ECONNRESET).
    bool send(std::string_view bytes);
    // One response (a 100 Continue is returned as its own response), or
    // nothing when the connection closed or `timeoutMs` passed first.
    std::optional<HttpResponse> read(int timeoutMs = 60000);
    // True when the server closes the connection within `timeoutMs`
    // (unread response bytes are discarded).
    bool waitForClose(int timeoutMs);
    void close();

private:
    int m_fd = -1;
    std::string m_buffer;
};

// One request on a fresh connection.
std::optional<HttpResponse> httpRequest(std::uint16_t port, std::string_view method, std::string_view path,
                                        const Headers &headers = {}, std::string_view body = {},
                                        int timeoutMs = 60000);
inline std::optional<HttpResponse> httpPost(std::uint16_t port, std::string_view path, std::string_view contentType,
                                            std::string_view body, Headers extra = {})
{
    if (!contentType.empty())
        extra.emplace_back("Content-Type", std::string(contentType));
    return httpRequest(port, "POST", path, extra, body);
}

std::string gzipBytes(std::string_view data, int level = 6);
std::string zlibBytes(std::string_view data); // Content-Encoding: deflate (zlib wrapper)

} // namespace vigil::test
