#include "ingest/line_splitter.h"

#include "ingest/byte_source.h"
#include "record/record_parser.h"

#include <algorithm>
#include <cstring>

namespace vigil {

namespace {
constexpr std::size_t kReadSize = 1u << 20;
}

LineSplitter::LineSplitter(ByteSource &source, std::int64_t startOffset, std::int64_t startLine,
                           std::size_t maxLine)
    : m_source(source), m_maxLine(maxLine), m_streamOffset(startOffset), m_consumed(startOffset),
      m_lineNumber(startLine)
{
    m_buffer.resize(4 * kReadSize + kParsePadding);
}

bool LineSplitter::fill()
{
    // Move unconsumed bytes to the front, grow if a long line needs room.
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_scan -= m_begin;
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_buffer.size() - m_end < kReadSize + kParsePadding)
        m_buffer.resize(m_end + kReadSize + kParsePadding);
    const long long n = m_source.read(m_buffer.data() + m_end, kReadSize);
    if (n <= 0)
        return false;
    m_end += static_cast<std::size_t>(n);
    m_streamOffset += n;
    return true;
}

Line LineSplitter::emit(std::size_t lineEnd, std::size_t nextBegin)
{
    Line line;
    std::size_t start = m_begin;
    std::size_t end = lineEnd;
    line.offset = m_streamOffset - static_cast<std::int64_t>(m_end - m_begin);
    if (m_lineNumber == 0 && line.offset == 0 && end - start >= 3 &&
        std::memcmp(m_buffer.data() + start, "\xEF\xBB\xBF", 3) == 0) {
        start += 3; // UTF-8 byte-order mark
        line.offset += 3;
    }
    if (end > start && m_buffer[end - 1] == '\r')
        --end;
    line.text = std::string_view(m_buffer.data() + start, end - start);
    line.size = static_cast<std::int64_t>(end - start);
    line.number = ++m_lineNumber;
    m_consumed += static_cast<std::int64_t>(nextBegin - m_begin);
    m_begin = nextBegin;
    m_scan = nextBegin;
    return line;
}

LineSplitter::Status LineSplitter::next(Line &out)
{
    while (true) {
        if (m_skipping) {
            // Discard the rest of an over-long line up to its newline.
            const char *nl = static_cast<const char *>(
                std::memchr(m_buffer.data() + m_begin, '\n', m_end - m_begin));
            if (!nl) {
                m_skipSize += static_cast<std::int64_t>(m_end - m_begin);
                m_consumed += static_cast<std::int64_t>(m_end - m_begin);
                m_begin = m_end = m_scan = 0;
                if (!fill())
                    return m_source.error().empty() ? Status::Pending : Status::ReadError;
                continue;
            }
            const auto upto = static_cast<std::size_t>(nl - m_buffer.data());
            m_skipSize += static_cast<std::int64_t>(upto - m_begin);
            m_consumed += static_cast<std::int64_t>(upto + 1 - m_begin);
            m_begin = m_scan = upto + 1;
            m_skipping = false;
            out = Line();
            m_skipPrefix.resize(m_skipPrefix.size() + kParsePadding, '\0');
            out.text = std::string_view(m_skipPrefix.data(), m_skipPrefix.size() - kParsePadding);
            out.number = ++m_lineNumber;
            out.offset = m_skipOffset;
            out.size = m_skipSize;
            out.tooLong = true;
            return Status::Line;
        }
        const char *nl = static_cast<const char *>(
            std::memchr(m_buffer.data() + m_scan, '\n', m_end - m_scan));
        if (nl) {
            const auto lineEnd = static_cast<std::size_t>(nl - m_buffer.data());
            if (lineEnd - m_begin > m_maxLine) {
                m_scan = m_end; // handled below as over-long
            } else {
                out = emit(lineEnd, lineEnd + 1);
                return Status::Line;
            }
        }
        m_scan = m_end;
        if (m_end - m_begin > m_maxLine) {
            // Keep the first bytes for the quarantine, drop the rest as it streams by.
            m_skipping = true;
            m_skipOffset = m_streamOffset - static_cast<std::int64_t>(m_end - m_begin);
            m_skipSize = 0;
            const std::size_t keep = std::min(kKeptPrefix, m_end - m_begin);
            m_skipPrefix.assign(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_begin),
                                m_buffer.begin() + static_cast<std::ptrdiff_t>(m_begin + keep));
            continue;
        }
        if (!fill())
            return m_source.error().empty() ? Status::Pending : Status::ReadError;
    }
}

bool LineSplitter::flushPartial(Line &out)
{
    if (m_skipping) {
        m_skipSize += static_cast<std::int64_t>(m_end - m_begin);
        m_consumed += static_cast<std::int64_t>(m_end - m_begin);
        m_begin = m_end = m_scan = 0;
        m_skipping = false;
        out = Line();
        m_skipPrefix.resize(m_skipPrefix.size() + kParsePadding, '\0');
        out.text = std::string_view(m_skipPrefix.data(), m_skipPrefix.size() - kParsePadding);
        out.number = ++m_lineNumber;
        out.offset = m_skipOffset;
        out.size = m_skipSize;
        out.tooLong = true;
        return true;
    }
    if (m_end == m_begin)
        return false;
    out = emit(m_end, m_end);
    return true;
}

} // namespace vigil
