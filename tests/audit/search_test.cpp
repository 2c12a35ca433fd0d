// Full-text search through the core API: hundreds of random phrase, prefix
// and boolean queries over a generated store, each compared with a brute-force
// evaluation over the extracted text of every record.
#include "audit_fixtures.h"
#include "search_reference.h"
#include "test_support.h"

#include "audit/search_query.h"
#include "audit/text_extract.h"
#include "store/audit_reader.h"
#include "store/fts_indexer.h"

#include <gtest/gtest.h>

#include <set>

namespace vigil::test {
namespace {

const std::vector<std::string> kVocabulary = {"alpha", "beta", "gamma", "delta", "kappa", "refund", "refunds",
                                              "refunded", "refurbish", "invoice", "café", "naïve", "über",
                                              "e-mail", "x42", "2026", "timeout", "time-out", "Zürich"};
// What people type: without accents too.
const std::vector<std::string> kQueryWords = {"alpha", "beta", "gamma", "delta", "kappa", "refund", "refunds",
                                              "refunded", "refurbish", "invoice", "cafe", "café", "naive", "uber",
                                              "e-mail", "mail", "x42", "2026", "timeout", "time-out", "zurich"};

class SearchTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new TempDir;
        s_path = s_dir->path("search.db");
        Rng rng(77);
        RecordShape shape;
        shape.fromMs = 1795000000000;
        shape.toMs = shape.fromMs + kDay;
        shape.words = kVocabulary;
        shape.minWords = 1;
        shape.maxWords = 6;
        std::vector<std::vector<std::string>> batches(7);
        int n = 0;
        for (auto &batch : batches)
            for (int i = 0; i < 100; ++i)
                batch.push_back(toLine(randomRecord(rng, "s-" + std::to_string(n++), shape)));
        commitBatches(s_path, batches);
        FtsIndexer(s_path).catchUp();

        s_docs = new std::vector<SearchDocument>;
        s_phrases = new std::vector<std::string>;
        std::set<std::string> pairs;
        AuditReader reader(s_path);
        reader.forEach(everything(), AuditSort::TimeAsc, [](const AuditRow &row) {
            const Record &r = row.record;
            s_docs->push_back(makeDocument(r.requestId, {extractText(r.inputJson), r.output.value_or(std::string()),
                                                         extractText(r.retrievalContextJson)}));
            return true;
        });
        for (const auto &doc : *s_docs)
            for (const auto &field : doc.fields)
                for (std::size_t i = 0; i + 1 < field.size(); ++i)
                    pairs.insert(field[i] + " " + field[i + 1]);
        s_phrases->assign(pairs.begin(), pairs.end());
    }
    static void TearDownTestSuite()
    {
        delete s_docs;
        delete s_phrases;
        delete s_dir;
    }

    static AuditFilter everything()
    {
        AuditFilter f;
        f.window = {0, INT64_MAX};
        return f;
    }

    std::set<std::string> found(const AuditFilter &filter)
    {
        std::set<std::string> ids;
        AuditReader(s_path).forEach(filter, AuditSort::TimeDesc, [&ids](const AuditRow &row) {
            ids.insert(row.record.requestId);
            return true;
        });
        return ids;
    }

    static std::set<std::string> expected(const QueryNode &q)
    {
        std::set<std::string> ids;
        for (const auto &doc : *s_docs)
            if (matches(q, doc))
                ids.insert(doc.requestId);
        return ids;
    }

    static constexpr std::int64_t kDay = 86'400'000;
    static TempDir *s_dir;
    static std::string s_path;
    static std::vector<SearchDocument> *s_docs;
    static std::vector<std::string> *s_phrases;
};

TempDir *SearchTest::s_dir = nullptr;
std::string SearchTest::s_path;
std::vector<SearchDocument> *SearchTest::s_docs = nullptr;
std::vector<std::string> *SearchTest::s_phrases = nullptr;

TEST_F(SearchTest, EveryRecordIsIndexed)
{
    EXPECT_EQ(s_docs->size(), 700u);
    EXPECT_EQ(FtsIndexer(s_path).pending(), 0);
}

TEST_F(SearchTest, RandomQueriesAgreeWithTheBruteForceReference)
{
    Rng rng(1234);
    int nonEmpty = 0, checked = 0;
    std::vector<std::string> problems;
    for (int i = 0; i < 400; ++i) {
        const QueryNode q = randomQuery(rng, kQueryWords, *s_phrases);
        const std::string text = renderQuery(rng, q);
        SearchQueryError error;
        AuditFilter filter = everything();
        filter.search = parseSearchQuery(text, error);
        if (!filter.search) {
            problems.push_back("\"" + text + "\" was refused: " + error.text());
            continue;
        }
        const std::set<std::string> want = expected(q);
        const std::set<std::string> got = found(filter);
        const std::int64_t count = AuditReader(s_path).count(filter);
        ++checked;
        nonEmpty += want.empty() ? 0 : 1;
        if (got != want || count != static_cast<std::int64_t>(want.size())) {
            std::string diff;
            for (const auto &id : want)
                if (!got.count(id) && diff.size() < 120)
                    diff += " -" + id;
            for (const auto &id : got)
                if (!want.count(id) && diff.size() < 240)
                    diff += " +" + id;
            problems.push_back("\"" + text + "\" (fts5: " + filter.search->fts5 + "): " + std::to_string(got.size()) +
                               " found, " + std::to_string(want.size()) + " expected, count " + std::to_string(count) +
                               ":" + diff);
        }
    }
    for (std::size_t i = 0; i < problems.size() && i < 25; ++i)
        ADD_FAILURE() << problems[i];
    EXPECT_TRUE(problems.empty()) << problems.size() << " of 400 queries disagree";
    EXPECT_GT(nonEmpty, 100) << "too few queries match anything to mean much";
    EXPECT_GT(checked, 390);
}

TEST_F(SearchTest, SpellingsOfTheSameQueryAgree)
{
    // Precedence: AND (spoken or not) binds tighter than OR; NOT and - bind
    // to the term after them.
    const std::vector<std::pair<std::string, std::string>> same = {
        {"alpha beta OR gamma", "(alpha AND beta) OR gamma"},
        {"gamma OR alpha beta", "gamma OR (alpha beta)"},
        {"alpha -beta gamma", "alpha AND gamma AND NOT beta"},
        {"alpha NOT beta OR gamma", "(alpha -beta) OR gamma"},
        {"refund*", "refund OR refunds OR refunded"},
        {"gamma -\"alpha beta\"", "gamma NOT \"alpha beta\""},
        {"gamma -(alpha OR beta)", "gamma -alpha -beta"},
        {"CAFE", "café"},
        {"\"e mail\"", "e-mail"},
    };
    for (const auto &[a, b] : same) {
        SearchQueryError ea, eb;
        AuditFilter fa = everything(), fb = everything();
        fa.search = parseSearchQuery(a, ea);
        fb.search = parseSearchQuery(b, eb);
        ASSERT_TRUE(fa.search) << a << ": " << ea.text();
        ASSERT_TRUE(fb.search) << b << ": " << eb.text();
        const auto ra = found(fa), rb = found(fb);
        EXPECT_EQ(ra, rb) << "\"" << a << "\" and \"" << b << "\" should find the same records";
        EXPECT_FALSE(ra.empty()) << a;
    }
}

TEST_F(SearchTest, SearchCombinesWithFiltersAndPages)
{
    SearchQueryError error;
    AuditFilter filter = everything();
    filter.search = parseSearchQuery("refund* OR invoice", error);
    ASSERT_TRUE(filter.search);
    filter.labels.tenant = "acme";
    const auto all = found(filter);
    QueryNode q;
    q.type = QueryNode::Type::Or;
    q.kids = {QueryNode{QueryNode::Type::Prefix, "refund", {}}, QueryNode{QueryNode::Type::Term, "invoice", {}}};
    std::set<std::string> want;
    AuditReader reader(s_path);
    for (const auto &doc : *s_docs) {
        if (matches(q, doc) && reader.byRequestId(doc.requestId)->record.tenant == "acme")
            want.insert(doc.requestId);
    }
    EXPECT_EQ(all, want);
    ASSERT_GT(want.size(), 20u);
    // Pages of 7 cover the same set, in time order, without overlap.
    std::vector<std::string> paged;
    std::int64_t lastTs = INT64_MAX;
    for (std::int64_t offset = 0;; offset += 7) {
        const auto page = reader.page(filter, AuditSort::TimeDesc, offset, 7);
        for (const auto &row : page) {
            EXPECT_LE(row.record.tsMs, lastTs);
            lastTs = row.record.tsMs;
            paged.push_back(row.record.requestId);
        }
        if (page.size() < 7)
            break;
    }
    EXPECT_EQ(paged.size(), want.size());
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), want);
}

TEST_F(SearchTest, HighlightsMarkEveryMatchedWord)
{
    SearchQueryError error;
    const auto query = parseSearchQuery("REFUND* invoice \"alpha beta\"", error);
    ASSERT_TRUE(query);
    const std::string text = "An Invoice for the refunded alpha beta order; invoices are not refunds.";
    const std::string snippet = makeSnippet(text, *query, 200);
    EXPECT_EQ(snippet, "An [Invoice] for the [refunded] [alpha beta] order; invoices are not [refunds].");
    // A long text is cut around the first match, on UTF-8 boundaries.
    std::string longText;
    for (int i = 0; i < 40; ++i)
        longText += "Zürich café ";
    longText += "the invoice at last";
    const std::string cut = makeSnippet(longText, *query, 60);
    EXPECT_NE(cut.find("[invoice]"), std::string::npos) << cut;
    EXPECT_TRUE(QString::fromUtf8(cut.data(), static_cast<qsizetype>(cut.size())).toUtf8().toStdString() == cut)
        << "the snippet is not valid UTF-8";
}

} // namespace
} // namespace vigil::test
