// Every item model of the console under QAbstractItemModelTester, fed with
// real data and changed while the tester watches.
#include "gui_test_support.h"
#include "test_support.h"

#include "ingest/ingest_controller.h"
#include "models/ingest_jobs_model.h"
#include "models/label_values_model.h"
#include "models/movers_model.h"
#include "models/quarantine_model.h"
#include "query/filter_options.h"
#include "query/overview_query.h"

#include "store/metrics_reader.h"
#include "store/quarantine_reader.h"
#include "store/write_queue.h"

#include <QAbstractItemModelTester>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

// The tester reports through qWarning in this mode; any warning is a failure.
class ModelWarnings
{
public:
    ModelWarnings() { s_previous = qInstallMessageHandler(&ModelWarnings::handle); s_messages.clear(); }
    ~ModelWarnings() { qInstallMessageHandler(s_previous); }
    const QStringList &messages() const { return s_messages; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &, const QString &message)
    {
        if (type != QtDebugMsg && type != QtInfoMsg)
            s_messages << message;
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QStringList s_messages;
};

OverviewSnapshot overviewAt(std::int64_t nowMs, std::int64_t lengthMs)
{
    MetricsReader reader(sharedStore().storePath);
    OverviewRequest request;
    request.nowMs = nowMs;
    request.window = {nowMs - lengthMs, nowMs};
    std::atomic<bool> cancel{false};
    return computeOverview(reader, request, cancel);
}

TEST(Models, MoversModel)
{
    ModelWarnings warnings;
    MoversModel model(MoverMetric::P95Latency);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    const OverviewSnapshot hour = overviewAt(kNowMs, kHourMs);
    ASSERT_FALSE(hour.movers.latency.empty());
    model.setMovers(hour.movers.latency);
    EXPECT_EQ(model.rowCount(), static_cast<int>(hour.movers.latency.size()));
    EXPECT_EQ(model.data(model.index(0, MoversModel::NameColumn)).toString().toStdString(), hour.movers.latency.front().key);
    model.setMovers(hour.movers.latency); // same rows: values only
    model.setMovers(overviewAt(kNowMs - 6 * kHourMs, kHourMs).movers.latency);
    model.setMovers({});
    EXPECT_EQ(model.rowCount(), 0);
    MoversModel errors(MoverMetric::ErrorRate);
    QAbstractItemModelTester errorTester(&errors, QAbstractItemModelTester::FailureReportingMode::Warning);
    errors.setMovers(hour.movers.errors);
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, LabelValuesModel)
{
    ModelWarnings warnings;
    LabelValuesModel model(QStringLiteral("All tenants"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    EXPECT_EQ(model.rowCount(), 1);
    MetricsReader reader(sharedStore().storePath);
    const FilterOptions options = filterOptionsFrom(reader.labels());
    ASSERT_GT(options.tenants.size(), 3u);
    model.setValues(options.tenants);
    EXPECT_EQ(model.rowCount(), static_cast<int>(options.tenants.size()) + 1);
    EXPECT_EQ(model.data(model.index(0, 0), Qt::UserRole).toString(), QString());
    EXPECT_EQ(model.rowOf(QString::fromStdString(options.tenants.back())), static_cast<int>(options.tenants.size()));
    model.setValues(options.models);
    model.setValues({});
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, QuarantineModel)
{
    ModelWarnings warnings;
    QuarantineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    QuarantineReader reader(sharedStore().storePath);
    auto lines = reader.list({});
    ASSERT_GT(lines.size(), 5u) << "the shared store has malformed lines";
    const std::string reason = lines.front().reason;
    model.setLines(lines);
    EXPECT_EQ(model.rowCount(), static_cast<int>(lines.size()));
    EXPECT_EQ(model.data(model.index(0, QuarantineModel::ReasonColumn)).toString().toStdString(), reason);
    lines.resize(2);
    model.setLines(lines);
    model.setLines({});
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, IngestJobsModelWhileJobsRun)
{
    TempDir dir;
    std::string good;
    for (int i = 0; i < 3000; ++i)
        good += recordLine("r" + std::to_string(i), kNowMs - 60'000 + i) + "\n";
    writeFile(dir.path("a.ndjson"), good + "{not json\n");
    writeFile(dir.path("b.ndjson"), recordLine("b1", kNowMs) + "\n");
    writeFile(dir.path("c.ndjson"), recordLine("b1", kNowMs) + "\n"); // another file, the same record

    ModelWarnings warnings;
    IngestController controller;
    IngestJobsModel model(controller);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    controller.setWriter(std::make_shared<WriteQueue>(dir.path("store.db")), QString::fromStdString(dir.path("store.db")));
    const int first = controller.ingest({QString::fromStdString(dir.path("a.ndjson")), QString::fromStdString(dir.path("b.ndjson"))});
    const int second = controller.ingest({QString::fromStdString(dir.path("c.ndjson"))});
    ASSERT_GT(first, 0);
    ASSERT_GT(second, 0);
    EXPECT_EQ(model.rowCount(), 2);
    ASSERT_TRUE(waitFor([&] { return !controller.busy(); }));
    EXPECT_EQ(controller.job(first)->state, IngestState::Finished);
    EXPECT_EQ(controller.job(first)->summary.records, 3001);
    EXPECT_EQ(controller.job(first)->summary.quarantined, 1);
    EXPECT_EQ(controller.job(second)->summary.duplicates, 1);
    EXPECT_EQ(model.data(model.index(0, IngestJobsModel::RecordsColumn)).toString(), QStringLiteral("3,001"));
    EXPECT_EQ(model.data(model.index(0, IngestJobsModel::StateColumn)).toString(), QStringLiteral("done"));
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

} // namespace
} // namespace vigil::test
