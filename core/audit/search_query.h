#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The audit search language: words (all must match), "quoted phrases",
// prefix* words, AND, OR, NOT (uppercase), -word for NOT, and parentheses.
// Parsed by us, not by SQLite, so a mistake is reported with its position
// and never as an SQL error.
struct SearchQuery
{
    std::string fts5;                 // the equivalent FTS5 MATCH expression
    std::vector<std::string> terms;   // words and phrases to highlight
    std::vector<std::string> prefixes;
};

struct SearchQueryError
{
    std::size_t position = 0; // 1-based character position in the query
    std::string message;
    std::string text() const { return "position " + std::to_string(position) + ": " + message; }
};

std::optional<SearchQuery> parseSearchQuery(std::string_view query, SearchQueryError &error);

// A short excerpt of `text` around the first match of any term, with matches
// wrapped in `open`/`close` (e.g. "[" "]" or "<b>" "</b>").
std::string makeSnippet(std::string_view text, const SearchQuery &query, std::size_t width = 96,
                        std::string_view open = "[", std::string_view close = "]");

// Every match of the query's terms in `text`: (byte offset, byte length).
std::vector<std::pair<std::size_t, std::size_t>> findMatches(std::string_view text, const SearchQuery &query);

} // namespace vigil
