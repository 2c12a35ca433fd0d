#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::otlp {

// A bounds-checked reader of the protobuf wire format: enough to walk the
// OTLP messages by hand, with no generated code. Every read checks the end of
// the buffer; malformed input sets an error and stops, never reads past it.
class WireReader final
{
public:
    explicit WireReader(std::string_view data) : m_data(data) {}

    bool atEnd() const { return m_pos >= m_data.size() || !m_error.empty(); }
    bool failed() const { return !m_error.empty(); }
    const std::string &error() const { return m_error; }

    // Next field tag: false at the end or on error.
    bool next(std::uint32_t &field, std::uint32_t &wireType);
    std::uint64_t varint();
    std::uint64_t fixed64();
    std::uint32_t fixed32();
    std::string_view bytes(); // length-delimited
    void skip(std::uint32_t wireType);
    void fail(std::string message);

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
    std::string m_error;
};

// The writer side, for the few messages Vigil sends back.
class WireWriter final
{
public:
    void varintField(std::uint32_t field, std::uint64_t value);
    void bytesField(std::uint32_t field, std::string_view value);
    const std::string &data() const { return m_out; }

private:
    void varint(std::uint64_t v);
    std::string m_out;
};

} // namespace vigil::otlp
