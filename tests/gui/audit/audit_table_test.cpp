// The chunked audit table model against a brute-force pass over every stored
// call: filters and orders, ties in time and latency across chunk borders,
// search, and answers for a filter the user already left.
#include "audit_test_support.h"
#include "gui_test_support.h"

#include "audit/audit_chunk.h"
#include "audit/audit_service.h"
#include "audit/audit_table_model.h"

#include "store/fts_indexer.h"

#include <QAbstractItemModelTester>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

AuditFilter everything()
{
    AuditFilter f;
    f.window = {kNowMs - kAuditSpanMs - 1000, kNowMs + 1000};
    return f;
}

struct Case
{
    const char *name;
    std::function<void(AuditFilter &)> edit;
};

class AuditTable : public ::testing::Test
{
protected:
    void SetUp() override
    {
        service.setStorePath(QString::fromStdString(auditStore().storePath));
        model.setChunkRows(97); // odd-sized chunks: borders fall inside groups of tied rows
    }
    AuditService service;
    AuditTableModel model{service};
};

// The tester also asks for more after every insert, so it runs on the tests
// that fetch everything anyway.
#define VIGIL_MODEL_TESTER(model) \
    QAbstractItemModelTester tester(&(model), QAbstractItemModelTester::FailureReportingMode::Fatal)

TEST_F(AuditTable, ChunksGiveExactlyTheBruteForceRowsForEveryFilterAndOrder)
{
    VIGIL_MODEL_TESTER(model);
    const std::vector<Case> cases = {
        {"everything", [](AuditFilter &) {}},
        {"last hour", [](AuditFilter &f) { f.window = {kNowMs - 3'600'000, kNowMs}; }},
        {"tenant", [](AuditFilter &f) { f.labels.tenant = "globex"; }},
        {"model and provider", [](AuditFilter &f) { f.labels.model = "claude-3-5-sonnet"; f.labels.provider = "anthropic"; }},
        {"prompt and version", [](AuditFilter &f) { f.labels.promptName = "summarize"; f.labels.promptVersion = "b7e1d40"; }},
        {"user", [](AuditFilter &f) { f.user = "u3"; }},
        {"failures", [](AuditFilter &f) {
             for (Outcome o : {Outcome::Error, Outcome::Timeout, Outcome::Fallback, Outcome::Refused, Outcome::Blocked})
                 f.outcomes.insert(o);
         }},
        {"error type", [](AuditFilter &f) { f.errorType = "rate_limit"; }},
        {"latency above", [](AuditFilter &f) { f.latencyAboveMs = 2500; }},
        {"cost above", [](AuditFilter &f) { f.costAboveUsd = 0.002; }},
        {"trace", [](AuditFilter &f) { f.traceId = "trace-120"; }},
        {"session and tenant", [](AuditFilter &f) { f.sessionId = "session-7"; f.labels.tenant = "acme"; }},
        {"nothing matches", [](AuditFilter &f) { f.user = "nobody"; }},
    };
    const std::vector<std::pair<AuditSort, std::pair<int, Qt::SortOrder>>> sorts = {
        {AuditSort::TimeDesc, {AuditTableModel::Time, Qt::DescendingOrder}},
        {AuditSort::TimeAsc, {AuditTableModel::Time, Qt::AscendingOrder}},
        {AuditSort::LatencyDesc, {AuditTableModel::Latency, Qt::DescendingOrder}},
        {AuditSort::LatencyAsc, {AuditTableModel::Latency, Qt::AscendingOrder}},
        {AuditSort::CostDesc, {AuditTableModel::Cost, Qt::DescendingOrder}},
        {AuditSort::CostAsc, {AuditTableModel::Cost, Qt::AscendingOrder}},
    };
    for (const auto &[sort, column] : sorts) {
        model.sort(column.first, column.second);
        ASSERT_EQ(model.sortOrder(), sort);
        for (const Case &c : cases) {
            AuditFilter f = everything();
            c.edit(f);
            model.setFilter(f);
            const std::vector<std::string> expected = bruteForceIds(auditStore(), f, sort);
            const std::vector<std::string> got = fetchAllIds(model);
            EXPECT_EQ(got, expected) << c.name << ", sort " << static_cast<int>(sort);
            if (std::string(c.name) == "everything") {
                EXPECT_EQ(got.size(), static_cast<std::size_t>(kAuditCalls));
            }
        }
    }
}

TEST_F(AuditTable, TheFirstChunkArrivesAloneAndTheViewAsksForMore)
{
    model.setFilter(everything());
    ASSERT_TRUE(waitFor([&] { return !model.isFetching(); }));
    EXPECT_EQ(model.rowCount(), 97);
    EXPECT_TRUE(model.canFetchMore({}));
    model.fetchMore({});
    ASSERT_TRUE(waitFor([&] { return !model.isFetching(); }));
    EXPECT_EQ(model.rowCount(), 194);
    const std::vector<std::string> expected = bruteForceIds(auditStore(), everything(), AuditSort::TimeDesc);
    EXPECT_EQ(loadedIds(model), std::vector<std::string>(expected.begin(), expected.begin() + 194));
}

TEST_F(AuditTable, TheColumnsShowTheCall)
{
    model.setFilter(everything());
    ASSERT_TRUE(waitFor([&] { return !model.isFetching() && model.rowCount() > 0; }));
    const AuditRow *first = model.rowAt(0);
    ASSERT_NE(first, nullptr);
    const Record &r = first->record;
    EXPECT_EQ(model.index(0, AuditTableModel::Tenant).data().toString().toStdString(), r.tenant);
    EXPECT_EQ(model.index(0, AuditTableModel::Model).data().toString().toStdString(), r.model);
    EXPECT_EQ(model.index(0, AuditTableModel::User).data().toString().toStdString(), r.user);
    EXPECT_EQ(model.index(0, AuditTableModel::Outcome).data().toString().toStdString(), std::string(outcomeName(r.outcome)));
    EXPECT_EQ(model.index(0, 0).data(AuditTableModel::RowIdRole).toLongLong(),
              first->rowId);
    if (!r.promptName.empty()) {
        EXPECT_TRUE(model.index(0, AuditTableModel::Prompt).data().toString().startsWith(QString::fromStdString(r.promptName + "@")));
    }
    EXPECT_FALSE(model.index(0, AuditTableModel::Latency).data().toString().isEmpty());
    EXPECT_FALSE(model.index(0, AuditTableModel::Tokens).data().toString().isEmpty());
    EXPECT_EQ(model.headerData(AuditTableModel::Cost, Qt::Horizontal).toString(), QStringLiteral("Cost"));
}

TEST_F(AuditTable, SearchFindsThePlantedWordWithASnippet)
{
    VIGIL_MODEL_TESTER(model);
    // The index is filled by a follow-up pass (the page runs it; here by hand).
    {
        FtsIndexer indexer(auditStore().storePath);
        indexer.catchUp();
    }
    SearchQueryError error;
    AuditFilter f = everything();
    f.search = parseSearchQuery("zebra*", error);
    ASSERT_TRUE(f.search);
    model.setFilter(f);
    std::vector<std::string> got = fetchAllIds(model);
    std::vector<std::string> expected = auditStore().zebrafishIds;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(got, expected);
    for (int i = 0; i < model.rowCount(); ++i) {
        const QString marked = model.index(i, AuditTableModel::Snippet).data(AuditTableModel::MarkedSnippetRole).toString();
        EXPECT_TRUE(marked.contains(QLatin1Char(kMatchOpen) + QStringLiteral("zebrafish") + QLatin1Char(kMatchClose)))
            << marked.toStdString();
        const QString shown = model.index(i, AuditTableModel::Snippet).data().toString();
        EXPECT_TRUE(shown.contains(QStringLiteral("The zebrafish team"))) << shown.toStdString();
        EXPECT_FALSE(shown.contains(QLatin1Char(kMatchOpen)));
    }

    f.search = parseSearchQuery("\"blue harbor\" AND refund", error);
    ASSERT_TRUE(f.search);
    model.setFilter(f);
    got = fetchAllIds(model);
    expected = auditStore().blueHarborIds;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(got, expected);

    f.search = parseSearchQuery("zebrafish OR \"blue harbor\" NOT shipped", error);
    ASSERT_TRUE(f.search);
    model.setFilter(f);
    EXPECT_FALSE(fetchAllIds(model).empty());
}

TEST_F(AuditTable, AnAnswerForAFilterTheUserLeftIsDropped)
{
    VIGIL_MODEL_TESTER(model);
    AuditFilter slow = everything();
    AuditFilter wanted = everything();
    wanted.user = "u7";
    model.setFilter(slow);   // its first chunk is on its way...
    model.setFilter(wanted); // ...when the user picks another filter
    ASSERT_TRUE(waitFor([&] { return !model.isFetching() && service.pendingJobs() == 0; }));
    const std::vector<std::string> expected = bruteForceIds(auditStore(), wanted, AuditSort::TimeDesc);
    for (const std::string &id : loadedIds(model))
        EXPECT_NE(std::find(expected.begin(), expected.end(), id), expected.end()) << id << " is not a call of u7";
    EXPECT_EQ(fetchAllIds(model), expected);

    // A chunk that lands after a reset to another order is dropped too.
    model.setFilter(slow);
    model.sort(AuditTableModel::Latency, Qt::DescendingOrder);
    EXPECT_EQ(fetchAllIds(model), bruteForceIds(auditStore(), slow, AuditSort::LatencyDesc));
}

TEST_F(AuditTable, ChunkReadsKeepNoPayload)
{
    {
        FtsIndexer indexer(auditStore().storePath);
        indexer.catchUp();
    }
    SearchQueryError error;
    AuditFilter f = everything();
    f.search = parseSearchQuery("zebrafish", error);
    AuditReader reader(auditStore().storePath);
    const AuditChunk chunk = readAuditChunk(reader, f, AuditSort::TimeDesc, std::nullopt, 1000);
    ASSERT_FALSE(chunk.rows.empty());
    ASSERT_EQ(chunk.snippets.size(), chunk.rows.size());
    for (const AuditRow &row : chunk.rows) {
        EXPECT_TRUE(row.record.inputJson.empty());
        EXPECT_FALSE(row.record.output.has_value());
    }
}

} // namespace
} // namespace vigil::test

namespace vigil::test {
namespace {

// A search that matches most calls is paged by probing the index row by row
// in time order; one that matches few, through the set of matches. Both must
// give the rows a plain pass over every match gives, in the same order.
TEST(AuditTableDenseSearch, ProbingTheIndexGivesTheSameRowsAsTheSetOfMatches)
{
    const std::string store = sharedStore().storePath;
    {
        FtsIndexer indexer(store);
        indexer.catchUp();
    }
    SearchQueryError error;
    AuditFilter f;
    f.window = {kNowMs - 6 * 3600 * 1000, kNowMs + 1000};
    f.search = parseSearchQuery("ticket OR refund", error);
    ASSERT_TRUE(f.search);
    AuditReader reader(store);
    std::vector<std::string> expected;
    reader.forEach(f, AuditSort::TimeDesc, [&](const AuditRow &row) {
        expected.push_back(row.record.requestId);
        return true;
    });
    {
        AuditFilter all = f;
        all.window = {0, kNowMs + 1000};
        ASSERT_GT(reader.count(all), 20000) << "the search must match enough calls for the probing plan";
    }
    ui::AuditService service;
    service.setStorePath(QString::fromStdString(store));
    ui::AuditTableModel model(service);
    model.setChunkRows(1000);
    model.setFilter(f);
    EXPECT_EQ(fetchAllIds(model), expected);
    model.sort(ui::AuditTableModel::Time, Qt::AscendingOrder);
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(fetchAllIds(model), expected);
}

} // namespace
} // namespace vigil::test
