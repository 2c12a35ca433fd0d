#include "server/body_decoder.h"

#include <zlib.h>

#include <cstring>

namespace vigil::http {

namespace {
enum Mode { Identity = 0, Gzip = 1, Deflate = 2 };
}

struct BodyDecoder::Impl
{
    int mode;
    qsizetype limit;
    QByteArray output;
    z_stream stream{};
    bool streamOpen = false;
    bool ended = false;
    bool fedAny = false;

    ~Impl()
    {
        if (streamOpen)
            inflateEnd(&stream);
    }
};

BodyDecoder::BodyDecoder(int mode, qsizetype limit) : m_impl(std::make_unique<Impl>())
{
    m_impl->mode = mode;
    m_impl->limit = limit;
    if (mode != Identity) {
        std::memset(&m_impl->stream, 0, sizeof m_impl->stream);
        // 15 + 32: zlib or gzip header, detected; -15 would be raw deflate.
        m_impl->streamOpen = inflateInit2(&m_impl->stream, mode == Gzip ? 15 + 16 : 15 + 32) == Z_OK;
    }
}

BodyDecoder::~BodyDecoder() = default;

std::unique_ptr<BodyDecoder> BodyDecoder::create(const QByteArray &contentEncoding, qsizetype limit)
{
    const QByteArray e = contentEncoding.trimmed().toLower();
    int mode = -1;
    if (e.isEmpty() || e == "identity")
        mode = Identity;
    else if (e == "gzip" || e == "x-gzip")
        mode = Gzip;
    else if (e == "deflate")
        mode = Deflate;
    if (mode < 0)
        return nullptr;
    return std::unique_ptr<BodyDecoder>(new BodyDecoder(mode, limit));
}

BodyDecoder::Result BodyDecoder::feed(const char *data, qsizetype size)
{
    Impl &d = *m_impl;
    if (d.mode == Identity) {
        if (d.output.size() + size > d.limit)
            return Result::TooLarge;
        d.output.append(data, size);
        return Result::Ok;
    }
    if (!d.streamOpen)
        return Result::Corrupt;
    d.fedAny = d.fedAny || size > 0;
    d.stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    d.stream.avail_in = static_cast<uInt>(size);
    char buffer[64 * 1024];
    while (d.stream.avail_in > 0) {
        if (d.ended) {
            // Another gzip member may follow the first (concatenated gzip).
            if (d.mode != Gzip || inflateReset(&d.stream) != Z_OK)
                return Result::Corrupt;
            d.ended = false;
        }
        d.stream.next_out = reinterpret_cast<Bytef *>(buffer);
        d.stream.avail_out = sizeof buffer;
        const int rc = inflate(&d.stream, Z_NO_FLUSH);
        const auto produced = static_cast<qsizetype>(sizeof buffer - d.stream.avail_out);
        if (d.output.size() + produced > d.limit)
            return Result::TooLarge;
        d.output.append(buffer, produced);
        if (rc == Z_STREAM_END)
            d.ended = true;
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return Result::Corrupt;
        else if (rc == Z_BUF_ERROR && produced == 0)
            break;
    }
    return Result::Ok;
}

BodyDecoder::Result BodyDecoder::finish()
{
    if (m_impl->mode == Identity)
        return Result::Ok;
    return m_impl->ended || !m_impl->fedAny ? Result::Ok : Result::Corrupt;
}

QByteArray BodyDecoder::takeOutput()
{
    return std::exchange(m_impl->output, QByteArray());
}

} // namespace vigil::http
