// Retention over 120 days of generated data through `vigilctl audit purge`:
// payloads kept 90 days, one tenant 30, another on legal hold; rollups kept
// rollup_days; old quarantine lines purged; the chain verifies after the purge
// and after a second purge that compacts its prefix; every purge, hold and
// release is in the operator log; --dry-run changes nothing and says the same.
#include "audit_fixtures.h"
#include "test_support.h"

#include "record/timestamp.h"
#include "store/chain_verifier.h"
#include "store/operator_log_store.h"
#include "store/retention.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace vigil::test {
namespace {

// A fixed "now" for generation and purges: every boundary is exact.
constexpr std::int64_t kNow = 1795745584123; // 2026-11-27T...Z
constexpr int kPayloadDays = 90;
constexpr int kRollupDays = 100;
constexpr int kGlobexDays = 30;
const char *const kHeld = "initech";

struct StoredRecord
{
    std::string tenant;
    std::int64_t ts;
};

class RetentionTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_db = m_dir.path("store.db");
        m_config = m_dir.path("vigil.toml");
        writeFile(m_config, "[retention]\npayload_days = " + std::to_string(kPayloadDays) + "\nrollup_days = " +
                                std::to_string(kRollupDays) + "\n\n[retention.tenants]\nglobex = " +
                                std::to_string(kGlobexDays) + "\n");
        const std::string log = m_dir.path("gen.ndjson");
        const ProcessResult gen = run({QStringLiteral("generate"), QStringLiteral("--out"), QString::fromStdString(log),
                                       QStringLiteral("--records"), QStringLiteral("6000"), QStringLiteral("--payload"),
                                       QStringLiteral("60-120"), QStringLiteral("--malformed"), QStringLiteral("0.02"),
                                       QStringLiteral("--since"), QStringLiteral("120d"), QStringLiteral("--now"), now()},
                                      false);
        ASSERT_EQ(gen.exitCode, 0) << gen.err;
        const ProcessResult ingest = run({QStringLiteral("ingest"), QString::fromStdString(log), QStringLiteral("--batch"),
                                          QStringLiteral("500")});
        ASSERT_EQ(ingest.exitCode, 0) << ingest.err;
        // Half the quarantined lines arrived long ago.
        sql::Database db = openRaw(m_db);
        db.exec("UPDATE quarantine SET received_at = " + std::to_string(kNow - 100 * kDayMs) + " WHERE id % 2 = 0");
    }

    static QString now() { return QString::fromStdString(formatRfc3339Ms(kNow)); }

    ProcessResult run(const QStringList &args, bool withStore = true)
    {
        QStringList all = args;
        if (withStore)
            all << QStringLiteral("--db") << QString::fromStdString(m_db) << QStringLiteral("--config")
                << QString::fromStdString(m_config);
        return runVigilctl(all);
    }

    QJsonObject purge(bool dryRun, const QStringList &extra = {})
    {
        QStringList args{QStringLiteral("audit"), QStringLiteral("purge"), QStringLiteral("--now"), now(), QStringLiteral("--json")};
        if (dryRun)
            args << QStringLiteral("--dry-run");
        const ProcessResult r = run(args + extra);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return parseJsonObject(r.out);
    }

    std::map<std::string, StoredRecord> records()
    {
        std::map<std::string, StoredRecord> out;
        sql::Database db = openRaw(m_db);
        sql::Statement s(db, "SELECT r.request_id, l.tenant, r.ts FROM requests r JOIN labels l ON l.id = r.label_id");
        while (s.step())
            out[std::string(s.columnText(0))] = {std::string(s.columnText(1)), s.columnInt(2)};
        return out;
    }

    std::int64_t count(const std::string &sql)
    {
        sql::Database db = openRaw(m_db);
        return db.queryInt(sql);
    }

    // Everything the purge may touch, to compare before and after.
    std::string footprint()
    {
        sql::Database db = openRaw(m_db);
        std::string out;
        for (const char *sql : {"SELECT count(*) FROM requests", "SELECT count(*) FROM rollup_minute",
                                "SELECT count(*) FROM rollup_hour", "SELECT count(*) FROM rollup_error_minute",
                                "SELECT count(*) FROM quarantine", "SELECT count(*) FROM operator_log",
                                "SELECT count(*) FROM chain_links", "SELECT count(*) FROM chain_checkpoints",
                                "SELECT count(*) FROM purged_rows", "SELECT coalesce(sum(id), 0) FROM requests"})
            out += std::to_string(db.queryInt(sql)) + " ";
        return out;
    }

    void expectVerifies(const std::string &when)
    {
        const ProcessResult r = run({QStringLiteral("audit"), QStringLiteral("verify")});
        EXPECT_EQ(r.exitCode, 0) << when << ": " << r.out << r.err;
    }

    std::vector<QJsonObject> operatorLog()
    {
        const ProcessResult r = run({QStringLiteral("audit"), QStringLiteral("operator-log"), QStringLiteral("--json"),
                                     QStringLiteral("--limit"), QStringLiteral("1000")});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        std::vector<QJsonObject> out;
        for (const QJsonValue &v : parseJsonObject(r.out).value(QStringLiteral("entries")).toArray())
            out.push_back(v.toObject());
        return out;
    }

    TempDir m_dir;
    std::string m_db;
    std::string m_config;
};

int daysFor(const std::string &tenant)
{
    return tenant == "globex" ? kGlobexDays : kPayloadDays;
}

TEST_F(RetentionTest, PurgeKeepsExactlyWhatIsWithinRetentionOrOnHold)
{
    const ProcessResult hold = run({QStringLiteral("audit"), QStringLiteral("hold"), QString::fromLatin1(kHeld),
                                    QStringLiteral("--reason"), QStringLiteral("litigation 2026-17")});
    ASSERT_EQ(hold.exitCode, 0) << hold.err;

    const auto before = records();
    ASSERT_GT(before.size(), 5000u);
    const std::int64_t oldQuarantine = count("SELECT count(*) FROM quarantine WHERE received_at < " +
                                             std::to_string(kNow - kPayloadDays * kDayMs));
    const std::int64_t newQuarantine = count("SELECT count(*) FROM quarantine") - oldQuarantine;
    ASSERT_GT(oldQuarantine, 10);
    const std::string rollupCutoff = std::to_string(kNow - kRollupDays * kDayMs);
    std::map<std::string, std::int64_t> youngRollups, oldRollups;
    for (const char *t : {"rollup_minute", "rollup_hour", "rollup_error_minute", "rollup_error_hour"}) {
        youngRollups[t] = count(std::string("SELECT count(*) FROM ") + t + " WHERE bucket >= " + rollupCutoff);
        oldRollups[t] = count(std::string("SELECT count(*) FROM ") + t + " WHERE bucket < " + rollupCutoff);
    }
    ASSERT_GT(oldRollups["rollup_minute"], 100);

    // What should go, worked out from the records themselves.
    std::map<std::string, std::int64_t> expectedByTenant;
    std::set<std::string> expectedKept;
    std::int64_t heldOld = 0;
    for (const auto &[id, r] : before) {
        const bool old = r.ts < kNow - daysFor(r.tenant) * kDayMs;
        if (old && r.tenant != kHeld)
            ++expectedByTenant[r.tenant];
        else
            expectedKept.insert(id);
        heldOld += old && r.tenant == kHeld;
    }
    ASSERT_GT(heldOld, 10);
    ASSERT_GT(expectedByTenant["globex"], 10);

    // A dry run says exactly that and changes nothing.
    const std::string untouched = footprint();
    const QJsonObject plan = purge(true);
    EXPECT_EQ(footprint(), untouched);
    EXPECT_TRUE(plan.value(QStringLiteral("dry_run")).toBool());

    const QJsonObject done = purge(false);
    for (const QJsonObject *o : {&plan, &done}) {
        std::int64_t total = 0;
        for (const auto &[tenant, n] : expectedByTenant) {
            EXPECT_EQ(o->value(QStringLiteral("records_by_tenant")).toObject().value(QString::fromStdString(tenant)).toInteger(), n)
                << tenant;
            total += n;
        }
        EXPECT_EQ(o->value(QStringLiteral("records")).toInteger(), total);
        EXPECT_EQ(o->value(QStringLiteral("quarantine_rows")).toInteger(), oldQuarantine);
        std::int64_t rollupRows = 0;
        for (const auto &[t, n] : oldRollups)
            rollupRows += n;
        EXPECT_EQ(o->value(QStringLiteral("rollup_rows")).toInteger(), rollupRows);
        EXPECT_EQ(o->value(QStringLiteral("held_tenants")).toArray(), QJsonArray{QString::fromLatin1(kHeld)});
    }
    EXPECT_FALSE(done.value(QStringLiteral("dry_run")).toBool());
    // Small transactions: the summary reports the longest (the 100 ms target
    // is the benchmark's; a loaded test machine gets a generous bound).
    EXPECT_GT(done.value(QStringLiteral("transactions")).toInteger(), 1);
    EXPECT_LT(done.value(QStringLiteral("longest_transaction_ms")).toDouble(), 1000);

    // Nothing younger than its retention deleted, nothing older kept but the held tenant's.
    const auto after = records();
    std::set<std::string> kept;
    for (const auto &[id, r] : after)
        kept.insert(id);
    EXPECT_EQ(kept, expectedKept);
    for (const auto &[t, n] : youngRollups)
        EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + t + " WHERE bucket >= " + rollupCutoff), n) << t;
    for (const auto &[t, n] : oldRollups)
        EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + t + " WHERE bucket < " + rollupCutoff), 0) << t;
    EXPECT_EQ(count("SELECT count(*) FROM quarantine"), newQuarantine);
    expectVerifies("after the purge");

    // Release the hold: the second purge takes the held tenant's old records
    // and compacts the chain's prefix into a checkpoint.
    const ProcessResult release = run({QStringLiteral("audit"), QStringLiteral("release"), QString::fromLatin1(kHeld),
                                       QStringLiteral("--reason"), QStringLiteral("case closed")});
    ASSERT_EQ(release.exitCode, 0) << release.err;
    const QJsonObject second = purge(false);
    EXPECT_EQ(second.value(QStringLiteral("records")).toInteger(), heldOld);
    EXPECT_TRUE(second.contains(QStringLiteral("chain_checkpoint_seq"))) << "the purged prefix was not compacted";
    expectVerifies("after the second purge");
    for (const auto &[id, r] : records())
        EXPECT_GE(r.ts, kNow - daysFor(r.tenant) * kDayMs) << id;
    EXPECT_EQ(count("SELECT count(*) FROM purged_rows WHERE batch_id < (SELECT min(batch_id) FROM requests)"), 0)
        << "hashes of compacted batches are kept for nothing";

    // Every change is in the operator log, in order, with who and why.
    std::vector<std::string> actions;
    for (const QJsonObject &e : operatorLog()) {
        const std::string action = e.value(QStringLiteral("action")).toString().toStdString();
        if (action.starts_with("retention."))
            actions.push_back(action + " " + e.value(QStringLiteral("subject")).toString().toStdString());
        EXPECT_FALSE(e.value(QStringLiteral("actor")).toString().isEmpty());
        EXPECT_FALSE(e.value(QStringLiteral("host")).toString().isEmpty());
        if (action == "retention.purge") {
            EXPECT_GT(e.value(QStringLiteral("details")).toObject().value(QStringLiteral("records")).toInteger(), 0);
        }
        if (action == "retention.hold") {
            EXPECT_EQ(e.value(QStringLiteral("reason")).toString(), QStringLiteral("litigation 2026-17"));
        }
    }
    const std::vector<std::string> expectedActions = {"retention.purge store", "retention.release initech",
                                                      "retention.purge store", "retention.hold initech"}; // newest first
    EXPECT_EQ(actions, expectedActions);
}

TEST_F(RetentionTest, ASecondPurgeFindsNothingAndTheChainStillHolds)
{
    purge(false);
    const QJsonObject again = purge(false);
    EXPECT_EQ(again.value(QStringLiteral("records")).toInteger(), 0);
    EXPECT_EQ(again.value(QStringLiteral("rollup_rows")).toInteger(), 0);
    EXPECT_EQ(again.value(QStringLiteral("quarantine_rows")).toInteger(), 0);
    EXPECT_EQ(purge(true).value(QStringLiteral("records")).toInteger(), 0);
    expectVerifies("after an empty purge");
}

// Everything in the store expires: the whole chain is compacted, and purges
// that find nothing more (a daily purge on an idle store) keep it verifiable.
TEST(RetentionIdleStore, TheChainVerifiesAfterEverythingExpired)
{
    TempDir dir;
    const std::string db = dir.path("idle.db");
    Rng rng(9);
    RecordShape shape;
    shape.fromMs = kNow - 200 * kDayMs;
    shape.toMs = kNow - 150 * kDayMs;
    std::vector<std::vector<std::string>> batches(3);
    for (auto &batch : batches)
        for (int i = 0; i < 20; ++i)
            batch.push_back(toLine(randomRecord(rng, "idle-" + std::to_string(rng() % 1000000), shape)));
    commitBatches(db, batches);
    OperatorAction action;
    action.action = "config.change";
    action.subject = "retention.payload_days";
    action.fromValue = "400";
    action.toValue = "90";
    OperatorLog(db).record(action);
    RetentionPolicy policy;
    for (int day = 0; day < 3; ++day) {
        const PurgeSummary s = Retention(db).purge(policy, kNow + day * kDayMs, Actor{"cron", "host"});
        if (day == 0) {
            EXPECT_EQ(s.records, 60);
        }
        const VerifyReport report = ChainVerifier(db).verify();
        EXPECT_TRUE(report.ok) << "purge " << day + 1 << ": " << report.firstBreak->message;
    }
}

} // namespace
} // namespace vigil::test
