#include "search_reference.h"

#include <QList>
#include <QString>

namespace vigil::test {

namespace {

int uniform(std::mt19937_64 &rng, int lo, int hi)
{
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// Does the token sequence `phrase` occur in `field`, the last one as a prefix when asked?
bool phraseIn(const std::vector<std::string> &field, const std::vector<std::string> &phrase, bool lastIsPrefix)
{
    if (phrase.empty() || phrase.size() > field.size())
        return false;
    for (std::size_t start = 0; start + phrase.size() <= field.size(); ++start) {
        bool all = true;
        for (std::size_t i = 0; i < phrase.size() && all; ++i) {
            const std::string &token = field[start + i];
            all = (lastIsPrefix && i + 1 == phrase.size()) ? token.starts_with(phrase[i]) : token == phrase[i];
        }
        if (all)
            return true;
    }
    return false;
}

bool anyField(const SearchDocument &doc, const std::vector<std::string> &phrase, bool prefix)
{
    for (const auto &field : doc.fields) {
        if (phraseIn(field, phrase, prefix))
            return true;
    }
    return false;
}

std::string caseVariant(std::mt19937_64 &rng, const std::string &word)
{
    QString w = QString::fromStdString(word);
    switch (uniform(rng, 0, 3)) {
    case 0: return w.toUpper().toStdString();
    case 1: return QString(w.left(1).toUpper() + w.mid(1)).toStdString();
    default: return word;
    }
}

QueryNode leaf(std::mt19937_64 &rng, const std::vector<std::string> &vocabulary, const std::vector<std::string> &phrasePool)
{
    QueryNode n;
    const int r = uniform(rng, 0, 19);
    const std::string &word = vocabulary[static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(vocabulary.size()) - 1))];
    if (r < 11 || (r >= 15 && phrasePool.empty())) {
        n.type = QueryNode::Type::Term;
        n.text = caseVariant(rng, word);
    } else if (r < 15) {
        n.type = QueryNode::Type::Prefix;
        const QString w = QString::fromStdString(word);
        n.text = caseVariant(rng, w.left(std::min<qsizetype>(w.size(), uniform(rng, 2, 4))).toStdString());
    } else {
        n.type = QueryNode::Type::Phrase;
        n.text = phrasePool[static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(phrasePool.size()) - 1))];
    }
    return n;
}

bool isLeaf(const QueryNode &n)
{
    return n.type == QueryNode::Type::Term || n.type == QueryNode::Type::Phrase || n.type == QueryNode::Type::Prefix;
}

} // namespace

std::vector<std::string> searchTokens(const std::string &text)
{
    const QString decomposed = QString::fromUtf8(text).normalized(QString::NormalizationForm_D);
    std::vector<std::string> tokens;
    QString current;
    const QList<uint> codePoints = decomposed.toUcs4();
    for (const uint u : codePoints) {
        const char32_t c = u;
        const auto category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining ||
            category == QChar::Mark_Enclosing)
            continue; // an accent: dropped, the letter goes on
        if (QChar::isLetterOrNumber(c) || category == QChar::Other_PrivateUse) {
            current += QString::fromUcs4(&c, 1).toCaseFolded();
        } else if (!current.isEmpty()) {
            tokens.push_back(current.toStdString());
            current.clear();
        }
    }
    if (!current.isEmpty())
        tokens.push_back(current.toStdString());
    return tokens;
}

SearchDocument makeDocument(const std::string &requestId, const std::vector<std::string> &texts)
{
    SearchDocument doc;
    doc.requestId = requestId;
    for (const auto &t : texts)
        doc.fields.push_back(searchTokens(t));
    return doc;
}

bool matches(const QueryNode &q, const SearchDocument &doc)
{
    switch (q.type) {
    case QueryNode::Type::Term:
    case QueryNode::Type::Phrase: return anyField(doc, searchTokens(q.text), false);
    case QueryNode::Type::Prefix: return anyField(doc, searchTokens(q.text), true);
    case QueryNode::Type::Not: return !matches(q.kids.front(), doc);
    case QueryNode::Type::And:
        for (const auto &k : q.kids) {
            if (!matches(k, doc))
                return false;
        }
        return true;
    case QueryNode::Type::Or:
        for (const auto &k : q.kids) {
            if (matches(k, doc))
                return true;
        }
        return false;
    }
    return false;
}

QueryNode randomQuery(std::mt19937_64 &rng, const std::vector<std::string> &vocabulary,
                      const std::vector<std::string> &phrasePool, int depth)
{
    const int r = uniform(rng, 0, 9);
    if (depth >= 2 || r < 3)
        return leaf(rng, vocabulary, phrasePool);
    QueryNode n;
    n.type = r < 7 ? QueryNode::Type::And : QueryNode::Type::Or;
    const int kids = uniform(rng, 2, 3);
    for (int i = 0; i < kids; ++i) {
        QueryNode kid = randomQuery(rng, vocabulary, phrasePool, depth + 1);
        if (n.type == QueryNode::Type::And && i > 0 && uniform(rng, 0, 9) < 3) {
            QueryNode negated;
            negated.type = QueryNode::Type::Not;
            negated.kids.push_back(std::move(kid));
            kid = std::move(negated);
        }
        n.kids.push_back(std::move(kid));
    }
    return n;
}

std::string renderQuery(std::mt19937_64 &rng, const QueryNode &q)
{
    switch (q.type) {
    case QueryNode::Type::Term: return q.text;
    case QueryNode::Type::Prefix: return q.text + "*";
    case QueryNode::Type::Phrase: return "\"" + q.text + "\"";
    case QueryNode::Type::Not: {
        const QueryNode &inner = q.kids.front();
        const std::string body = isLeaf(inner) ? renderQuery(rng, inner) : "(" + renderQuery(rng, inner) + ")";
        // "-word", "-\"a phrase\"", "-(a group)" or "NOT ..."
        return uniform(rng, 0, 1) ? "-" + body : "NOT " + body;
    }
    case QueryNode::Type::And: {
        std::string out;
        for (std::size_t i = 0; i < q.kids.size(); ++i) {
            const QueryNode &k = q.kids[i];
            std::string operand = renderQuery(rng, k);
            if (k.type == QueryNode::Type::Or || k.type == QueryNode::Type::And)
                operand = "(" + operand + ")";
            if (i > 0)
                out += k.type == QueryNode::Type::Not || uniform(rng, 0, 1) ? " " : " AND ";
            out += operand;
        }
        return out;
    }
    case QueryNode::Type::Or: {
        std::string out;
        for (std::size_t i = 0; i < q.kids.size(); ++i) {
            const QueryNode &k = q.kids[i];
            std::string operand = renderQuery(rng, k);
            // AND binds tighter than OR: parentheses are optional around an AND.
            if (k.type == QueryNode::Type::Or || (k.type == QueryNode::Type::And && uniform(rng, 0, 1)))
                operand = "(" + operand + ")";
            out += (i > 0 ? " OR " : "") + operand;
        }
        return out;
    }
    }
    return {};
}

} // namespace vigil::test
