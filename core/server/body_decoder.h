#pragma once

#include <QByteArray>

#include <memory>

namespace vigil::http {

// Undoes Content-Encoding (identity, gzip, deflate) as the body streams in,
// refusing to produce more than `limit` bytes: a gzip bomb is stopped after
// `limit` bytes of output, never inflated whole.
class BodyDecoder final
{
public:
    enum class Result { Ok, TooLarge, Corrupt };

    // Returns null for an encoding we do not support.
    static std::unique_ptr<BodyDecoder> create(const QByteArray &contentEncoding, qsizetype limit);
    ~BodyDecoder();

    Result feed(const char *data, qsizetype size);
    Result finish(); // the body ended: a truncated stream is Corrupt
    QByteArray takeOutput();

private:
    BodyDecoder(int mode, qsizetype limit);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil::http
