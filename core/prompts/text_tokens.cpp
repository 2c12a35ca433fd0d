#include "prompts/text_tokens.h"

#include <QChar>

#include <cctype>

namespace vigil {

namespace {

// Decodes one UTF-8 character at `i`; returns its length (1 for an invalid byte, with ok = false).
std::size_t decode(std::string_view s, std::size_t i, char32_t &cp, bool &ok)
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    ok = true;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        ok = false;
        cp = 0xFFFD;
        return 1;
    }
    if (i + len > s.size()) {
        ok = false;
        cp = 0xFFFD;
        return 1;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ok = false;
            cp = 0xFFFD;
            return 1;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ok = false;
        cp = 0xFFFD;
        return 1;
    }
    return len;
}

enum class Kind { Word, Ideograph, Space, LineBreak, Other, Invalid };

bool isMark(char32_t cp)
{
    const auto c = QChar::category(cp);
    return c == QChar::Mark_NonSpacing || c == QChar::Mark_SpacingCombining || c == QChar::Mark_Enclosing;
}

// Characters that belong to the one before them: combining marks, variation
// selectors, emoji skin tones, tag characters.
bool extendsPrevious(char32_t cp)
{
    return isMark(cp) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

Kind kindOf(char32_t cp)
{
    if (cp == '\n' || cp == '\r')
        return Kind::LineBreak;
    if (cp == ' ' || cp == '\t' || cp == 0x00A0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A))
        return Kind::Space;
    if (cp < 0x80)
        return (std::isalnum(static_cast<int>(cp)) || cp == '_') ? Kind::Word : Kind::Other;
    const auto script = QChar::script(cp);
    if (script == QChar::Script_Han || script == QChar::Script_Hiragana || script == QChar::Script_Katakana)
        return Kind::Ideograph;
    if (QChar::isLetterOrNumber(cp))
        return Kind::Word;
    return Kind::Other;
}

} // namespace

std::vector<TextToken> splitLines(std::string_view text)
{
    std::vector<TextToken> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t nl = text.find('\n', begin);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        lines.push_back({begin, end});
        begin = end;
    }
    return lines;
}

std::vector<TextToken> splitWords(std::string_view text)
{
    std::vector<TextToken> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        bool ok = true;
        std::size_t len = decode(text, i, cp, ok);
        const std::size_t begin = i;
        i += len;
        if (!ok) {
            tokens.push_back({begin, i});
            continue;
        }
        const Kind kind = kindOf(cp);
        if (kind == Kind::LineBreak) {
            // "\r\n" is one line break.
            if (cp == '\r' && i < text.size() && text[i] == '\n')
                ++i;
            tokens.push_back({begin, i});
            continue;
        }
        // Extend: marks and selectors always; runs of the same kind for words and spaces;
        // a zero-width joiner glues the next character on (emoji sequences).
        while (i < text.size()) {
            char32_t next = 0;
            bool nextOk = true;
            const std::size_t nextLen = decode(text, i, next, nextOk);
            if (!nextOk)
                break;
            if (extendsPrevious(next)) {
                i += nextLen;
                continue;
            }
            if (next == 0x200D) { // zero-width joiner
                i += nextLen;
                if (i < text.size()) {
                    char32_t joined = 0;
                    bool joinedOk = true;
                    const std::size_t joinedLen = decode(text, i, joined, joinedOk);
                    if (joinedOk)
                        i += joinedLen;
                }
                continue;
            }
            if ((kind == Kind::Word || kind == Kind::Space) && kindOf(next) == kind) {
                i += nextLen;
                continue;
            }
            break;
        }
        tokens.push_back({begin, i});
    }
    return tokens;
}

} // namespace vigil
