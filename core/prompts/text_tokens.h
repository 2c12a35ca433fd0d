#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vigil {

// A piece of a text by byte offsets [begin, end).
struct TextToken
{
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t size() const { return end - begin; }
};

// Lines with their terminators ("a\r\n" stays one token, so a CRLF -> LF
// change is a change); the last line may have none. An empty text has no lines.
std::vector<TextToken> splitLines(std::string_view text);

// Words for the word-level diff, never cutting a UTF-8 character or a
// character from its combining marks: runs of letters, digits and '_'; one
// token per CJK ideograph or kana (those scripts have no spaces); runs of
// spaces and tabs; each line break; each other character (punctuation, an
// emoji with its modifiers and joiners). A byte that is not valid UTF-8 is a
// token of its own.
std::vector<TextToken> splitWords(std::string_view text);

} // namespace vigil
