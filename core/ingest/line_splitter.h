#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil {

class ByteSource;

// One line handed out by LineSplitter. `text` excludes the line end (`\n` or
// `\r\n`) and stays valid until the next call; it is followed by at least
// kParsePadding readable bytes. A line longer than the limit is never held
// whole: `tooLong` is set, `text` holds its first bytes, `size` its length.
struct Line
{
    std::string_view text;
    std::int64_t number = 0; // 1-based
    std::int64_t offset = 0; // of the first byte
    std::int64_t size = 0;   // bytes without the line end
    bool tooLong = false;
};

// Splits a ByteSource into lines in large reads, skipping a UTF-8 byte-order
// mark at the start of the stream.
class LineSplitter final
{
public:
    static constexpr std::size_t kDefaultMaxLine = 16u << 20; // 16 MiB
    static constexpr std::size_t kKeptPrefix = 4096;

    // `startOffset`/`startLine`: where the source is positioned (resume).
    LineSplitter(ByteSource &source, std::int64_t startOffset = 0, std::int64_t startLine = 0,
                 std::size_t maxLine = kDefaultMaxLine);

    enum class Status { Line, Pending, ReadError };
    // Line: `out` is the next complete line. Pending: the source is at its end
    // for now (a last line without newline may be pending, see flushPartial).
    Status next(Line &out);
    // The pending last line without newline, if any, as a complete line.
    bool flushPartial(Line &out);

    // Offset just past the last line handed out, line end included: where a
    // resumed run starts.
    std::int64_t consumedOffset() const { return m_consumed; }
    std::int64_t linesConsumed() const { return m_lineNumber; }
    std::int64_t bytesRead() const { return m_streamOffset; }
    bool hasPartial() const { return m_end > m_begin || m_skipping; }

private:
    bool fill();
    Line emit(std::size_t lineEnd, std::size_t nextBegin);

    ByteSource &m_source;
    std::vector<char> m_buffer;
    std::size_t m_begin = 0; // start of unconsumed data
    std::size_t m_end = 0;   // end of valid data
    std::size_t m_scan = 0;  // where to continue looking for '\n'
    std::size_t m_maxLine;
    std::int64_t m_streamOffset; // stream offset of m_buffer[m_end]
    std::int64_t m_consumed;
    std::int64_t m_lineNumber;
    // Skipping the rest of an over-long line.
    bool m_skipping = false;
    std::int64_t m_skipOffset = 0;
    std::int64_t m_skipSize = 0;
    std::vector<char> m_skipPrefix;
};

} // namespace vigil
