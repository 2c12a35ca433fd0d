#include "server/otlp/protobuf_wire.h"

#include <cstring>

namespace vigil::otlp {

void WireReader::fail(std::string message)
{
    if (m_error.empty())
        m_error = std::move(message) + " at byte " + std::to_string(m_pos);
    m_pos = m_data.size();
}

bool WireReader::next(std::uint32_t &field, std::uint32_t &wireType)
{
    if (atEnd())
        return false;
    const std::uint64_t tag = varint();
    if (failed())
        return false;
    field = static_cast<std::uint32_t>(tag >> 3);
    wireType = static_cast<std::uint32_t>(tag & 7);
    if (field == 0) {
        fail("invalid protobuf field number 0");
        return false;
    }
    return true;
}

std::uint64_t WireReader::varint()
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_pos >= m_data.size()) {
            fail("truncated varint");
            return 0;
        }
        const auto byte = static_cast<unsigned char>(m_data[m_pos++]);
        value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return value;
    }
    fail("varint longer than 10 bytes");
    return 0;
}

std::uint64_t WireReader::fixed64()
{
    if (m_data.size() - m_pos < 8 || m_pos > m_data.size()) {
        fail("truncated fixed64");
        return 0;
    }
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(m_data[m_pos + static_cast<std::size_t>(i)]);
    m_pos += 8;
    return v;
}

std::uint32_t WireReader::fixed32()
{
    if (m_data.size() - m_pos < 4 || m_pos > m_data.size()) {
        fail("truncated fixed32");
        return 0;
    }
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(m_data[m_pos + static_cast<std::size_t>(i)]);
    m_pos += 4;
    return v;
}

std::string_view WireReader::bytes()
{
    const std::uint64_t length = varint();
    if (failed())
        return {};
    if (length > m_data.size() - m_pos) {
        fail("length-delimited field runs past the end");
        return {};
    }
    const std::string_view out = m_data.substr(m_pos, static_cast<std::size_t>(length));
    m_pos += static_cast<std::size_t>(length);
    return out;
}

void WireReader::skip(std::uint32_t wireType)
{
    switch (wireType) {
    case 0: varint(); break;
    case 1: fixed64(); break;
    case 2: bytes(); break;
    case 5: fixed32(); break;
    default: fail("unsupported protobuf wire type " + std::to_string(wireType));
    }
}

void WireWriter::varint(std::uint64_t v)
{
    while (v >= 0x80) {
        m_out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    m_out += static_cast<char>(v);
}

void WireWriter::varintField(std::uint32_t field, std::uint64_t value)
{
    varint(static_cast<std::uint64_t>(field) << 3);
    varint(value);
}

void WireWriter::bytesField(std::uint32_t field, std::string_view value)
{
    varint((static_cast<std::uint64_t>(field) << 3) | 2);
    varint(value.size());
    m_out.append(value);
}

} // namespace vigil::otlp
