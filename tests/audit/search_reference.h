#pragma once
// A brute-force reference for the audit search: queries as trees (rendered
// into the query language with random but equivalent spellings), evaluated
// over the tokens of each record's extracted text. Tokens follow FTS5's
// unicode61 tokenizer with remove_diacritics: runs of letters and digits,
// case-folded, accents dropped.

#include <random>
#include <string>
#include <vector>

namespace vigil::test {

std::vector<std::string> searchTokens(const std::string &text);

struct QueryNode
{
    enum class Type { Term, Phrase, Prefix, And, Or, Not };
    Type type = Type::Term;
    std::string text;              // Term/Prefix: the word as typed; Phrase: its words
    std::vector<QueryNode> kids;   // And/Or: operands (Not operands only in And); Not: one
};

// A record's searchable text: input, output and retrieval context, each
// already through extractText.
struct SearchDocument
{
    std::string requestId;
    std::vector<std::vector<std::string>> fields; // tokens per field
};

SearchDocument makeDocument(const std::string &requestId, const std::vector<std::string> &texts);
bool matches(const QueryNode &query, const SearchDocument &doc);

// Random queries over a vocabulary (words may be in any case or carry
// accents); phrases are taken from `phrasePool` (pairs seen in the data).
QueryNode randomQuery(std::mt19937_64 &rng, const std::vector<std::string> &vocabulary,
                      const std::vector<std::string> &phrasePool, int depth = 0);
// The query in the audit search language, spelled one of several
// equivalent ways (implicit or explicit AND, NOT or -, optional parentheses).
std::string renderQuery(std::mt19937_64 &rng, const QueryNode &query);

} // namespace vigil::test
