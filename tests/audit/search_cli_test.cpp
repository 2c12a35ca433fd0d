// `vigilctl audit search` end to end: the --json shape with highlighted
// snippets, mistakes in queries reported with their position (exit 2, never
// an SQL error), the index catching up after more ingest, purged records
// gone from the search.
#include "audit_fixtures.h"
#include "search_reference.h"
#include "test_support.h"

#include "audit/text_extract.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/audit_reader.h"
#include "store/fts_indexer.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <set>

namespace vigil::test {
namespace {

const std::vector<std::string> kWords = {"refund", "refunded", "invoice", "policy", "renewal", "alpha", "beta"};

class SearchCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_db = m_dir.path("store.db");
        Rng rng(5);
        RecordShape shape;
        shape.toMs = currentTimeMs();
        shape.fromMs = shape.toMs - 2 * kDayMs;
        shape.words = kWords;
        shape.minWords = 1;
        shape.maxWords = 5;
        std::string log;
        for (int i = 0; i < 400; ++i)
            log += toLine(randomRecord(rng, "c-" + std::to_string(i), shape)) + "\n";
        writeFile(m_dir.path("calls.ndjson"), log);
        ASSERT_EQ(ingest("calls.ndjson").exitCode, 0);
    }

    ProcessResult ingest(const std::string &name, const QStringList &extra = {})
    {
        ProcessResult r = runVigilctl(QStringList{QStringLiteral("ingest"), QStringLiteral("--db"), QString::fromStdString(m_db),
                                                  QString::fromStdString(m_dir.path(name))} +
                                      extra);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r;
    }

    ProcessResult search(const QString &query, const QStringList &extra = {})
    {
        return runVigilctl(QStringList{QStringLiteral("audit"), QStringLiteral("search"), query, QStringLiteral("--db"),
                                       QString::fromStdString(m_db)} +
                           wideWindow() + extra);
    }

    QJsonObject searchJson(const QString &query, const QStringList &extra = {})
    {
        const ProcessResult r = search(query, QStringList{QStringLiteral("--json")} + extra);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return parseJsonObject(r.out);
    }

    // Every stored record the reference says matches `q`.
    std::set<std::string> reference(const QueryNode &q)
    {
        std::set<std::string> ids;
        AuditFilter all;
        all.window = {0, INT64_MAX};
        AuditReader(m_db).forEach(all, AuditSort::TimeAsc, [&](const AuditRow &row) {
            const Record &r = row.record;
            if (matches(q, makeDocument(r.requestId, {extractText(r.inputJson), r.output.value_or(std::string()),
                                                      extractText(r.retrievalContextJson)})))
                ids.insert(r.requestId);
            return true;
        });
        return ids;
    }

    TempDir m_dir;
    std::string m_db;
};

QueryNode term(const std::string &word, QueryNode::Type type = QueryNode::Type::Term)
{
    return QueryNode{type, word, {}};
}

TEST_F(SearchCliTest, JsonListsTheMatchesWithHighlightedSnippets)
{
    QueryNode q{QueryNode::Type::And, "", {term("refund", QueryNode::Type::Prefix), term("policy")}};
    const std::set<std::string> want = reference(q);
    ASSERT_GT(want.size(), 10u);
    const QJsonObject o = searchJson(QStringLiteral("refund* policy"), {QStringLiteral("--limit"), QStringLiteral("1000")});
    EXPECT_EQ(o.value(QStringLiteral("total")).toInteger(), static_cast<qint64>(want.size()));
    const QJsonArray results = o.value(QStringLiteral("results")).toArray();
    ASSERT_EQ(results.size(), static_cast<qsizetype>(want.size()));
    std::set<std::string> got;
    std::int64_t previous = INT64_MAX;
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        for (const char *key : {"request_id", "ts", "tenant", "model", "snippet"})
            EXPECT_TRUE(r.contains(QLatin1String(key))) << key;
        got.insert(r.value(QStringLiteral("request_id")).toString().toStdString());
        const auto ts = parseRfc3339Ms(r.value(QStringLiteral("ts")).toString().toStdString());
        ASSERT_TRUE(ts.has_value());
        EXPECT_LE(*ts, previous) << "newest first";
        previous = *ts;
        // The snippet shows a match in brackets.
        const std::string snippet = r.value(QStringLiteral("snippet")).toString().toStdString();
        const auto open = snippet.find('['), close = snippet.find(']', open);
        ASSERT_NE(open, std::string::npos) << snippet;
        ASSERT_NE(close, std::string::npos) << snippet;
        const std::string marked = snippet.substr(open + 1, close - open - 1);
        const auto tokens = searchTokens(marked);
        ASSERT_EQ(tokens.size(), 1u) << snippet;
        EXPECT_TRUE(tokens[0].starts_with("refund") || tokens[0] == "policy") << snippet;
    }
    EXPECT_EQ(got, want);

    // --limit bounds the list, not the total.
    const QJsonObject limited = searchJson(QStringLiteral("refund* policy"), {QStringLiteral("--limit"), QStringLiteral("3")});
    EXPECT_EQ(limited.value(QStringLiteral("total")).toInteger(), static_cast<qint64>(want.size()));
    EXPECT_EQ(limited.value(QStringLiteral("results")).toArray().size(), 3);

    // Filters narrow the search.
    const QJsonObject acme = searchJson(QStringLiteral("refund* policy"), {QStringLiteral("--tenant"), QStringLiteral("acme"),
                                                                          QStringLiteral("--limit"), QStringLiteral("1000")});
    for (const QJsonValue &v : acme.value(QStringLiteral("results")).toArray())
        EXPECT_EQ(v.toObject().value(QStringLiteral("tenant")).toString(), QStringLiteral("acme"));
    EXPECT_LT(acme.value(QStringLiteral("total")).toInteger(), static_cast<qint64>(want.size()));
}

TEST_F(SearchCliTest, MistakesAreNamedWithTheirPosition)
{
    struct Case
    {
        QString query;
        int position;
        std::string says;
    };
    const std::vector<Case> cases = {
        {QStringLiteral("\"refund policy"), 1, "never closed"},
        {QStringLiteral("refund AND"), 8, "AND needs a term"},
        {QStringLiteral("refund OR"), 8, "OR needs a term"},
        {QStringLiteral("(refund policy"), 1, "never closed"},
        {QStringLiteral("refund )"), 8, "without its '('"},
        {QStringLiteral("NOT refund"), 1, "cannot start with NOT"},
        {QStringLiteral("(-refund)"), 2, "cannot start with NOT"},
        {QStringLiteral("refund NOT"), 8, "NOT needs a term"},
        {QStringLiteral("*refund"), 1, "'*' must end a word"},
        {QStringLiteral("refund ()"), 8, "empty parentheses"},
        {QStringLiteral("refund \"\""), 8, "the phrase is empty"},
        {QStringLiteral("refund (policy OR )"), 16, "OR needs a term"},
        {QStringLiteral("refund - policy"), 8, "no letters or digits"},
        {QStringLiteral("refund !!!"), 8, "no letters or digits"},
        {QStringLiteral("refund \"?!\""), 8, "no letters or digits"},
        // Positions count characters: the caret lines up under non-ASCII text.
        {QStringLiteral("Zürich café AND"), 13, "AND needs a term"},
    };
    for (const Case &c : cases) {
        const ProcessResult r = search(c.query);
        EXPECT_EQ(r.exitCode, 2) << c.query.toStdString() << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("position " + std::to_string(c.position) + ":"), std::string::npos)
            << c.query.toStdString() << ": " << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.query.toStdString() << ": " << r.err;
        // The caret points at the place.
        EXPECT_NE(r.err.find("\n  " + std::string(static_cast<std::size_t>(c.position) - 1, ' ') + "^"), std::string::npos)
            << r.err;
        for (const char *leak : {"SQL", "sqlite", "fts5", "syntax error"})
            EXPECT_EQ(r.err.find(leak), std::string::npos) << c.query.toStdString() << ": " << r.err;
    }
}

TEST_F(SearchCliTest, LongAndDeeplyNestedQueriesNeverReachSqlite)
{
    // A pasted paragraph is a long AND: it runs.
    QString paragraph;
    for (int i = 0; i < 300; ++i)
        paragraph += QString::fromStdString(kWords[static_cast<std::size_t>(i) % kWords.size()]) + QLatin1Char(' ');
    const ProcessResult longQuery = search(paragraph);
    EXPECT_EQ(longQuery.exitCode, 0) << longQuery.err;
    QString ors = QStringLiteral("refund");
    for (int i = 0; i < 300; ++i)
        ors += QStringLiteral(" OR policy");
    EXPECT_EQ(search(ors).exitCode, 0);

    // Reasonable nesting works...
    const QString nested = QString(16, QLatin1Char('(')) + QStringLiteral("refund OR policy") + QString(16, QLatin1Char(')'));
    EXPECT_EQ(search(nested).exitCode, 0) << search(nested).err;
    // ...nesting beyond reason is a mistake with a position, not an SQL error.
    const QString deep = QString(200, QLatin1Char('(')) + QStringLiteral("refund") + QString(200, QLatin1Char(')'));
    const ProcessResult r = search(deep);
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("position "), std::string::npos) << r.err;
    for (const char *leak : {"SQL", "sqlite", "fts5"})
        EXPECT_EQ(r.err.find(leak), std::string::npos) << r.err;
}

TEST_F(SearchCliTest, TheIndexCatchesUpAfterMoreIngest)
{
    EXPECT_EQ(FtsIndexer(m_db).pending(), 0) << "ingest runs the index pass";
    std::string more;
    const std::int64_t now = currentTimeMs();
    for (int i = 0; i < 25; ++i) {
        QJsonObject o = QJsonObject{{QStringLiteral("ts"), static_cast<qint64>(now - 1000 * i)},
                                    {QStringLiteral("request_id"), QStringLiteral("z-%1").arg(i)},
                                    {QStringLiteral("tenant"), QStringLiteral("acme")},
                                    {QStringLiteral("model"), QStringLiteral("gpt-4o")},
                                    {QStringLiteral("latency_ms"), 10},
                                    {QStringLiteral("outcome"), QStringLiteral("ok")},
                                    {QStringLiteral("output"), QStringLiteral("a trip to Zanzibar, number %1").arg(i)}};
        more += toLine(o) + "\n";
    }
    writeFile(m_dir.path("more.ndjson"), more);
    ingest("more.ndjson", {QStringLiteral("--no-index")});
    EXPECT_EQ(FtsIndexer(m_db).pending(), 25);
    // The search catches up first.
    const QJsonObject o = searchJson(QStringLiteral("zanzibar"));
    EXPECT_EQ(o.value(QStringLiteral("total")).toInteger(), 25);
    EXPECT_EQ(FtsIndexer(m_db).pending(), 0);
    EXPECT_EQ(searchJson(QStringLiteral("\"zanzibar number 7\"")).value(QStringLiteral("total")).toInteger(), 1);
}

TEST_F(SearchCliTest, PurgedRecordsLeaveTheSearch)
{
    std::string old;
    const std::int64_t now = currentTimeMs();
    for (int i = 0; i < 30; ++i) {
        QJsonObject o = QJsonObject{{QStringLiteral("ts"), static_cast<qint64>(now - (100 + i) * kDayMs)},
                                    {QStringLiteral("request_id"), QStringLiteral("old-%1").arg(i)},
                                    {QStringLiteral("tenant"), QStringLiteral("acme")},
                                    {QStringLiteral("model"), QStringLiteral("gpt-4o")},
                                    {QStringLiteral("latency_ms"), 10},
                                    {QStringLiteral("outcome"), QStringLiteral("ok")},
                                    {QStringLiteral("input"), QStringLiteral("mothball the old warehouse")}};
        old += toLine(o) + "\n";
    }
    writeFile(m_dir.path("old.ndjson"), old);
    ingest("old.ndjson");
    EXPECT_EQ(searchJson(QStringLiteral("mothball")).value(QStringLiteral("total")).toInteger(), 30);
    const ProcessResult purge = runVigilctl({QStringLiteral("audit"), QStringLiteral("purge"), QStringLiteral("--db"),
                                             QString::fromStdString(m_db), QStringLiteral("--days"), QStringLiteral("90")});
    ASSERT_EQ(purge.exitCode, 0) << purge.err;
    EXPECT_EQ(searchJson(QStringLiteral("mothball")).value(QStringLiteral("total")).toInteger(), 0);
    // Gone from the index itself, not only hidden by the join.
    sql::Database db = openRaw(m_db);
    EXPECT_EQ(db.queryInt("SELECT count(*) FROM requests_fts WHERE requests_fts MATCH 'mothball'"), 0);
    EXPECT_EQ(db.queryInt("SELECT count(*) FROM requests_fts WHERE requests_fts MATCH 'refund*' AND rowid NOT IN "
                          "(SELECT id FROM requests)"),
              0);
    // The rest is still found.
    EXPECT_GT(searchJson(QStringLiteral("refund*")).value(QStringLiteral("total")).toInteger(), 0);
}

} // namespace
} // namespace vigil::test
