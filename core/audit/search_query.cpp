#include "audit/search_query.h"

#include <QString>

#include <algorithm>
#include <cctype>

namespace vigil {

namespace {

enum class Token { Word, Phrase, Prefix, And, Or, Not, Open, Close, End };

struct Lexed
{
    Token type;
    std::string text;
    std::size_t position; // 1-based
};

bool isWordChar(unsigned char c)
{
    return !std::isspace(c) && c != '"' && c != '(' && c != ')' && c != '*';
}

// FTS5 wants barewords of letters and digits; anything else goes in quotes.
std::string quoted(std::string_view word)
{
    std::string out = "\"";
    for (char c : word) {
        if (c == '"')
            out += "\"\"";
        else
            out += c;
    }
    return out + "\"";
}

// Whether the search index would find any token in `text`: it indexes runs
// of letters and digits only, so "-" or "!!!" would match nothing at all.
bool hasSearchableCharacter(std::string_view text)
{
    for (const QChar c : QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()))) {
        if (c.isLetterOrNumber())
            return true;
    }
    return false;
}

// SQLite's FTS5 query parser overflows its stack on deeply nested
// expressions; a human query never needs more.
constexpr int kMaxNesting = 16;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class Parser
{
public:
    Parser(std::vector<Lexed> tokens, SearchQuery &out) : m_tokens(std::move(tokens)), m_out(out) {}

    bool parse(SearchQueryError &error)
    {
        if (m_tokens.front().type == Token::End)
            return fail(error, 1, "the query is empty");
        std::string expr;
        if (!orExpr(expr, error))
            return false;
        if (peek().type != Token::End)
            return fail(error, peek().position,
                        peek().type == Token::Close ? "a ')' without its '('" : "unexpected " + describe(peek()));
        m_out.fts5 = expr;
        return true;
    }

private:
    const Lexed &peek() const { return m_tokens[m_pos]; }
    const Lexed &take() { return m_tokens[m_pos++]; }
    static std::string describe(const Lexed &t)
    {
        switch (t.type) {
        case Token::And: return "AND";
        case Token::Or: return "OR";
        case Token::Not: return "NOT";
        case Token::Close: return "')'";
        case Token::Open: return "'('";
        case Token::End: return "the end of the query";
        default: return "\"" + t.text + "\"";
        }
    }
    static bool fail(SearchQueryError &error, std::size_t position, std::string message)
    {
        error.position = position;
        error.message = std::move(message);
        return false;
    }
    static bool startsTerm(Token t)
    {
        return t == Token::Word || t == Token::Phrase || t == Token::Prefix || t == Token::Open || t == Token::Not;
    }

    // Chains are written flat ("(a OR b OR c)", "(a AND b NOT c)"), not
    // nested pairwise: FTS5 has the same precedence (NOT, AND, OR) and its
    // parser overflows on a long query written as nested pairs.
    bool orExpr(std::string &out, SearchQueryError &error)
    {
        if (!andExpr(out, error))
            return false;
        bool chain = false;
        while (peek().type == Token::Or) {
            const Lexed op = take();
            if (!startsTerm(peek().type))
                return fail(error, op.position, "OR needs a term after it");
            std::string rhs;
            if (!andExpr(rhs, error))
                return false;
            out += " OR " + rhs;
            chain = true;
        }
        if (chain)
            out = "(" + out + ")";
        return true;
    }

    bool andExpr(std::string &out, SearchQueryError &error)
    {
        if (!unary(out, error))
            return false;
        bool chain = false;
        while (true) {
            const Token t = peek().type;
            if (t == Token::And) {
                const Lexed op = take();
                if (!startsTerm(peek().type))
                    return fail(error, op.position, "AND needs a term after it");
            } else if (!startsTerm(t)) {
                if (chain)
                    out = "(" + out + ")";
                return true;
            }
            // NOT binds to the term after it: "a NOT b" is a AND NOT b.
            const char *op = " AND ";
            if (peek().type == Token::Not) {
                const Lexed notOp = take();
                if (!startsTerm(peek().type) || peek().type == Token::Not)
                    return fail(error, notOp.position, "NOT needs a term after it");
                op = " NOT ";
            }
            std::string rhs;
            if (!primary(rhs, error))
                return false;
            out += op + rhs;
            chain = true;
        }
    }

    bool unary(std::string &out, SearchQueryError &error)
    {
        if (peek().type == Token::Not)
            return fail(error, peek().position, "a query cannot start with NOT: say what to look for first");
        return primary(out, error);
    }

    bool primary(std::string &out, SearchQueryError &error)
    {
        const Lexed t = take();
        switch (t.type) {
        case Token::Word:
        case Token::Prefix:
            if (!hasSearchableCharacter(t.text))
                return fail(error, t.position, "\"" + t.text + "\" has no letters or digits to search for");
            out = quoted(t.text) + (t.type == Token::Prefix ? "*" : "");
            (t.type == Token::Prefix ? m_out.prefixes : m_out.terms).push_back(lower(t.text));
            return true;
        case Token::Phrase:
            if (t.text.find_first_not_of(" \t") == std::string::npos)
                return fail(error, t.position, "the phrase is empty");
            if (!hasSearchableCharacter(t.text))
                return fail(error, t.position, "the phrase has no letters or digits to search for");
            out = quoted(t.text);
            m_out.terms.push_back(lower(t.text));
            return true;
        case Token::Open: {
            if (peek().type == Token::Close)
                return fail(error, t.position, "empty parentheses");
            if (++m_depth > kMaxNesting)
                return fail(error, t.position,
                            "parentheses nested more than " + std::to_string(kMaxNesting) + " deep");
            if (!orExpr(out, error))
                return false;
            if (peek().type != Token::Close)
                return fail(error, t.position, "this '(' is never closed");
            take();
            --m_depth;
            return true;
        }
        case Token::End: return fail(error, t.position, "the query ends where a term was expected");
        default: return fail(error, t.position, describe(t) + " where a term was expected");
        }
    }

    std::vector<Lexed> m_tokens;
    SearchQuery &m_out;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

} // namespace

std::optional<SearchQuery> parseSearchQuery(std::string_view q, SearchQueryError &error)
{
    std::vector<Lexed> tokens;
    std::size_t i = 0;
    // Positions count characters, not bytes, so a caret under the query lines up.
    std::size_t counted = 0, characters = 0;
    auto positionOf = [&](std::size_t byte) {
        for (; counted < byte; ++counted)
            characters += (static_cast<unsigned char>(q[counted]) & 0xC0) != 0x80;
        return characters + 1;
    };
    while (i < q.size()) {
        const auto c = static_cast<unsigned char>(q[i]);
        const std::size_t pos = positionOf(i);
        if (std::isspace(c)) {
            ++i;
        } else if (c == '(') {
            tokens.push_back({Token::Open, "(", pos});
            ++i;
        } else if (c == ')') {
            tokens.push_back({Token::Close, ")", pos});
            ++i;
        } else if (c == '"') {
            const auto end = q.find('"', i + 1);
            if (end == std::string_view::npos) {
                error = {pos, "this quote is never closed"};
                return std::nullopt;
            }
            tokens.push_back({Token::Phrase, std::string(q.substr(i + 1, end - i - 1)), pos});
            i = end + 1;
        } else if (c == '*') {
            error = {pos, "'*' must end a word (e.g. refund*)"};
            return std::nullopt;
        } else {
            bool negated = false;
            if (c == '-' && i + 1 < q.size() && isWordChar(static_cast<unsigned char>(q[i + 1]))) {
                negated = true;
                ++i;
            } else if (c == '-' && i + 1 < q.size() && (q[i + 1] == '"' || q[i + 1] == '(')) {
                // -"a phrase", -(a group): the phrase or group is read next.
                tokens.push_back({Token::Not, "NOT", pos});
                ++i;
                continue;
            }
            const std::size_t start = i;
            while (i < q.size() && isWordChar(static_cast<unsigned char>(q[i])))
                ++i;
            std::string word(q.substr(start, i - start));
            Token type = Token::Word;
            if (i < q.size() && q[i] == '*') {
                type = Token::Prefix;
                ++i;
            }
            if (negated)
                tokens.push_back({Token::Not, "NOT", pos});
            if (type == Token::Word && word == "AND")
                tokens.push_back({Token::And, word, pos});
            else if (type == Token::Word && word == "OR")
                tokens.push_back({Token::Or, word, pos});
            else if (type == Token::Word && word == "NOT")
                tokens.push_back({Token::Not, word, pos});
            else
                tokens.push_back({type, word, pos});
        }
    }
    tokens.push_back({Token::End, "", positionOf(q.size())});
    SearchQuery out;
    Parser parser(std::move(tokens), out);
    if (!parser.parse(error))
        return std::nullopt;
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> findMatches(std::string_view text, const SearchQuery &query)
{
    const std::string haystack = lower(text);
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    auto isBoundary = [&](std::size_t at) {
        return at == 0 || at >= haystack.size() || !std::isalnum(static_cast<unsigned char>(haystack[at - 1]));
    };
    auto search = [&](const std::string &needle, bool prefix) {
        if (needle.empty())
            return;
        for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
            if (!isBoundary(at))
                continue;
            std::size_t end = at + needle.size();
            if (prefix) {
                while (end < haystack.size() && std::isalnum(static_cast<unsigned char>(haystack[end])))
                    ++end;
            } else if (end < haystack.size() && std::isalnum(static_cast<unsigned char>(haystack[end]))) {
                continue;
            }
            matches.emplace_back(at, end - at);
        }
    };
    for (const auto &t : query.terms)
        search(t, false);
    for (const auto &p : query.prefixes)
        search(p, true);
    std::sort(matches.begin(), matches.end());
    // Drop overlaps.
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto &m : matches) {
        if (out.empty() || m.first >= out.back().first + out.back().second)
            out.push_back(m);
    }
    return out;
}

std::string makeSnippet(std::string_view text, const SearchQuery &query, std::size_t width,
                        std::string_view open, std::string_view close)
{
    const auto matches = findMatches(text, query);
    std::size_t start = 0;
    if (!matches.empty() && matches.front().first > width / 3)
        start = matches.front().first - width / 3;
    // Do not cut a UTF-8 sequence in half.
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        --start;
    std::size_t end = std::min(text.size(), start + width);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        ++end;
    std::string out = start > 0 ? "…" : "";
    std::size_t at = start;
    for (const auto &[offset, length] : matches) {
        if (offset < at || offset >= end)
            continue;
        out.append(text.substr(at, offset - at));
        out.append(open);
        out.append(text.substr(offset, std::min(length, end - offset)));
        out.append(close);
        at = offset + std::min(length, end - offset);
    }
    out.append(text.substr(at, end - at));
    if (end < text.size())
        out += "…";
    for (char &c : out) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    }
    return out;
}

} // namespace vigil
