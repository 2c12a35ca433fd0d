// `vigilctl audit verify` end to end: a fresh store holds; a store edited by
// hand (with the sqlite3 shell, or by changing bytes of the file) fails with
// exit 1 naming the record; a truncated chain is caught by an exported
// checkpoint.
#include "audit_fixtures.h"
#include "test_support.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <fstream>

namespace vigil::test {
namespace {

const std::string kMarker = "UNIQUE-MARKER-7f3a9c";

class VerifyCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_db = m_dir.path("store.db");
        const std::string log = m_dir.path("calls.ndjson");
        ProcessResult gen = runVigilctl({QStringLiteral("generate"), QStringLiteral("--out"), QString::fromStdString(log),
                                         QStringLiteral("--records"), QStringLiteral("300"), QStringLiteral("--payload"),
                                         QStringLiteral("100-300"), QStringLiteral("--since"), QStringLiteral("2h")});
        ASSERT_EQ(gen.exitCode, 0) << gen.err;
        Rng rng(3);
        RecordShape shape;
        shape.fromMs = 1795745584123;
        shape.toMs = shape.fromMs + 1;
        QJsonObject planted = randomRecord(rng, "planted-1", shape);
        planted.insert(QStringLiteral("output"), QString::fromStdString("the answer is " + kMarker + " as agreed"));
        appendFile(log, toLine(planted) + "\n");
        ingest(log);
    }

    void ingest(const std::string &log)
    {
        ProcessResult r = runVigilctl({QStringLiteral("ingest"), QStringLiteral("--db"), QString::fromStdString(m_db),
                                       QStringLiteral("--batch"), QStringLiteral("40"), QString::fromStdString(log)});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }

    ProcessResult verify(const QStringList &extra = {})
    {
        return runVigilctl(QStringList{QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"),
                                       QString::fromStdString(m_db)} +
                           extra);
    }

    ProcessResult sqlite(const std::string &sql)
    {
        QProcess p;
        p.start(QStringLiteral("sqlite3"), {QString::fromStdString(m_db), QString::fromStdString(sql)});
        ProcessResult r;
        if (!p.waitForStarted(10000) || !p.waitForFinished(60000))
            return r;
        r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput().toStdString();
        r.err = p.readAllStandardError().toStdString();
        return r;
    }

    void expectBrokenAt(const std::string &requestId, const std::string &damage)
    {
        const ProcessResult text = verify();
        EXPECT_EQ(text.exitCode, 1) << text.out << text.err;
        EXPECT_NE(text.out.find("BROKEN"), std::string::npos) << text.out;
        EXPECT_NE(text.out.find(requestId), std::string::npos) << text.out;
        const ProcessResult json = verify({QStringLiteral("--json")});
        EXPECT_EQ(json.exitCode, 1);
        const QJsonObject o = parseJsonObject(json.out);
        EXPECT_FALSE(o.value(QStringLiteral("ok")).toBool(true));
        const QJsonObject broken = o.value(QStringLiteral("broken")).toObject();
        EXPECT_EQ(broken.value(QStringLiteral("damage")).toString().toStdString(), damage) << json.out;
        EXPECT_TRUE(broken.value(QStringLiteral("records")).toArray().contains(QString::fromStdString(requestId)))
            << json.out;
    }

    TempDir m_dir;
    std::string m_db;
};

TEST_F(VerifyCliTest, AFreshStoreHolds)
{
    const ProcessResult r = verify();
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("holds"), std::string::npos) << r.out;
    const ProcessResult json = verify({QStringLiteral("--json")});
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const QJsonObject o = parseJsonObject(json.out);
    EXPECT_TRUE(o.value(QStringLiteral("ok")).toBool());
    EXPECT_EQ(o.value(QStringLiteral("records")).toInteger(), 301);
    // The ingest run is in the operator log, and in the chain.
    EXPECT_GE(o.value(QStringLiteral("operator_entries")).toInteger(), 1);
}

TEST_F(VerifyCliTest, AnUpdateWithTheSqliteShellIsFoundAndNamed)
{
    const ProcessResult edit = sqlite("UPDATE requests SET output = 'nothing to see' WHERE request_id = 'planted-1'");
    ASSERT_EQ(edit.exitCode, 0) << edit.err;
    expectBrokenAt("planted-1", "changed");
}

TEST_F(VerifyCliTest, ADeleteWithTheSqliteShellIsFound)
{
    const ProcessResult edit = sqlite("DELETE FROM requests WHERE request_id = 'planted-1'");
    ASSERT_EQ(edit.exitCode, 0) << edit.err;
    const ProcessResult json = verify({QStringLiteral("--json")});
    EXPECT_EQ(json.exitCode, 1) << json.out;
    const QJsonObject broken = parseJsonObject(json.out).value(QStringLiteral("broken")).toObject();
    EXPECT_EQ(broken.value(QStringLiteral("damage")).toString(), QStringLiteral("deleted")) << json.out;
}

TEST_F(VerifyCliTest, ABytePatchedInTheFileIsFoundAndNamed)
{
    // Everything vigilctl wrote is in the main file once it has exited.
    ASSERT_EQ(sqlite("PRAGMA wal_checkpoint(TRUNCATE)").exitCode, 0);
    std::string bytes = readFile(m_db);
    std::size_t at = bytes.find(kMarker);
    ASSERT_NE(at, std::string::npos) << "the planted output is not in the store file";
    int patched = 0;
    for (; at != std::string::npos; at = bytes.find(kMarker, at + 1)) {
        bytes[at] = 'V'; // UNIQUE -> VNIQUE: still valid UTF-8, same length
        ++patched;
    }
    {
        std::fstream file(m_db, std::ios::in | std::ios::out | std::ios::binary);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    EXPECT_GE(patched, 1);
    expectBrokenAt("planted-1", "changed");
}

TEST_F(VerifyCliTest, ATruncatedChainIsCaughtByTheExportedCheckpoint)
{
    const std::string checkpoint = m_dir.path("head.json");
    const ProcessResult cp = runVigilctl({QStringLiteral("audit"), QStringLiteral("checkpoint"), QStringLiteral("--db"),
                                          QString::fromStdString(m_db), QStringLiteral("--export"),
                                          QString::fromStdString(checkpoint)});
    ASSERT_EQ(cp.exitCode, 0) << cp.err;
    // Cut the last batch off, with its link and every checkpoint kept in the store.
    const ProcessResult edit = sqlite(
        "DELETE FROM requests WHERE batch_id = (SELECT max(ref) FROM chain_links WHERE kind = 1);"
        "DELETE FROM operator_log WHERE id IN (SELECT ref FROM chain_links WHERE kind = 2 AND seq >= "
        "(SELECT seq FROM chain_links WHERE kind = 1 ORDER BY seq DESC LIMIT 1));"
        "DELETE FROM chain_links WHERE seq >= (SELECT seq FROM chain_links WHERE kind = 1 ORDER BY seq DESC LIMIT 1);"
        "DELETE FROM chain_checkpoints;");
    ASSERT_EQ(edit.exitCode, 0) << edit.err;
    // Consistent in itself...
    EXPECT_EQ(verify().exitCode, 0);
    // ...but not with the head kept elsewhere.
    const ProcessResult r = verify({QStringLiteral("--checkpoint"), QString::fromStdString(checkpoint), QStringLiteral("--json")});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    const QJsonObject broken = parseJsonObject(r.out).value(QStringLiteral("broken")).toObject();
    EXPECT_EQ(broken.value(QStringLiteral("damage")).toString(), QStringLiteral("truncated")) << r.out;
}

TEST_F(VerifyCliTest, AMalformedCheckpointFileIsBadInput)
{
    const std::string checkpoint = m_dir.path("bad.json");
    writeFile(checkpoint, "{\"seq\": 3}");
    const ProcessResult r = verify({QStringLiteral("--checkpoint"), QString::fromStdString(checkpoint)});
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
}

} // namespace
} // namespace vigil::test
