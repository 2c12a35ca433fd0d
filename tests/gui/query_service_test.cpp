// Queries run off the UI thread on per-thread readers; cancelled or
// superseded answers are dropped.
#include "gui_test_support.h"

#include "query/latest_query.h"
#include "query/query_service.h"

#include <QCoreApplication>
#include <QThread>

#include <gtest/gtest.h>

#include <set>

namespace vigil::test {
namespace {

using namespace vigil::ui;

TEST(QueryService, JobsRunOffTheUiThreadEachThreadWithItsOwnReader)
{
    QueryService service;
    service.setStorePath(QString::fromStdString(sharedStore().storePath));
    QObject receiver;
    std::set<const MetricsReader *> readers;
    std::set<Qt::HANDLE> threads;
    int answers = 0;
    for (int i = 0; i < 12; ++i) {
        service.run<std::pair<const MetricsReader *, Qt::HANDLE>>(
            &receiver, nullptr,
            [](MetricsReader &reader, const std::atomic<bool> &) {
                reader.totalRequests();
                return std::make_pair(&reader, QThread::currentThreadId());
            },
            [&](std::pair<const MetricsReader *, Qt::HANDLE> r) {
                EXPECT_EQ(QThread::currentThread(), QCoreApplication::instance()->thread());
                readers.insert(r.first);
                threads.insert(r.second);
                ++answers;
            });
    }
    ASSERT_TRUE(waitFor([&] { return answers == 12; }));
    EXPECT_EQ(threads.count(QThread::currentThreadId()), 0u);
    EXPECT_EQ(readers.size(), threads.size()); // one reader per worker thread
    EXPECT_EQ(service.pendingJobs(), 0);
}

TEST(QueryService, ACancelledOrOrphanedAnswerIsDropped)
{
    QueryService service;
    service.setStorePath(QString::fromStdString(sharedStore().storePath));
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    bool delivered = false;
    QObject receiver;
    service.run<int>(
        &receiver, cancel,
        [cancel](MetricsReader &, const std::atomic<bool> &) {
            cancel->store(true); // cancelled while it ran
            return 1;
        },
        [&](int) { delivered = true; });
    auto orphan = std::make_unique<QObject>();
    bool orphanDelivered = false;
    service.run<int>(orphan.get(), nullptr, [](MetricsReader &, const std::atomic<bool> &) { return 2; },
                     [&](int) { orphanDelivered = true; });
    orphan.reset(); // the page went away before the answer came
    ASSERT_TRUE(waitFor([&] { return service.pendingJobs() == 0; }));
    EXPECT_FALSE(delivered);
    EXPECT_FALSE(orphanDelivered);
}

TEST(QueryService, AFailureNamesTheStore)
{
    QueryService service;
    service.setStorePath(QStringLiteral("/nonexistent/vigil.db"));
    QObject receiver;
    std::optional<QueryFailure> failure;
    service.run<int>(&receiver, nullptr, [](MetricsReader &, const std::atomic<bool> &) { return 1; },
                     [](int) { ADD_FAILURE() << "no store, no answer"; },
                     [&](const QueryFailure &f) { failure = f; });
    ASSERT_TRUE(waitFor([&] { return failure.has_value(); }));
    EXPECT_EQ(failure->kind, StoreErrorKind::NotFound);
    EXPECT_TRUE(failure->message.contains(QStringLiteral("/nonexistent/vigil.db")));
}

TEST(LatestQuery, OnlyTheNewestGenerationIsAccepted)
{
    LatestQuery latest;
    const LatestQuery::Ticket first = latest.next();
    const LatestQuery::Ticket second = latest.next();
    EXPECT_TRUE(first.cancel->load()) << "asking again cancels the one in flight";
    EXPECT_FALSE(second.cancel->load());
    EXPECT_FALSE(latest.accept(first.generation));
    EXPECT_TRUE(latest.inFlight());
    EXPECT_TRUE(latest.accept(second.generation));
    EXPECT_FALSE(latest.inFlight());
    EXPECT_EQ(latest.dropped(), 1u);
}

} // namespace
} // namespace vigil::test
