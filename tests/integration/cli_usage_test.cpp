// The command line's contract for mistakes: an unknown option, a malformed
// duration or time, or a missing argument exits 2 with the usage on stderr
// (naming what was wrong) and touches no store; --help exits 0 with the usage
// on stdout.
#include "integration_helpers.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace vigil::test;

namespace {

QStringList words(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

struct Mistake
{
    const char *args;
    const char *named; // what the message must mention
};

} // namespace

TEST(CliUsage, MistakesExitWith2AndTheUsage)
{
    TempDir dir;
    const std::string db = dir.path("never-created.db");
    const std::string log = dir.path("log.ndjson");
    writeFile(log, recordLine("a") + "\n");
    const Mistake mistakes[] = {
        // unknown options
        {"query latency --bogus", "bogus"},
        {"query spend --since 1h --colour red", "colour"},
        {"ingest --bogus LOG", "bogus"},
        {"quarantine list --bogus", "bogus"},
        {"generate --out /dev/null --bogus", "bogus"},
        // malformed durations and times
        {"query latency --since 5x", "--since"},
        {"query errors --since 1h30", "--since"},
        {"query spend --since -1h", "-1h"},
        {"query latency --since 0m", "--since"},
        {"query latency --from yesterday", "--from"},
        {"query latency --from 2026-01-01T00:00:00Z --to 2026-13-01T00:00:00Z", "--to"},
        {"query latency --from 2026-01-02T00:00:00Z --to 2026-01-01T00:00:00Z", "--to must be after --from"},
        {"query latency --now soon", "--now"},
        {"query latency --since 1h --from 2026-01-01T00:00:00Z", "--since cannot be combined"},
        {"quarantine list --since 3x", "--since"},
        {"generate --out /dev/null --since 3x", "--since"},
        // missing arguments
        {"query latency --since", "Missing value after '--since'"},
        {"query", "latency, spend or errors"},
        {"query median", "latency, spend or errors"},
        {"ingest", "name at least one log file"},
        {"quarantine", "list"},
        {"quarantine show", "list"},
        {"generate", "--out is required"},
        {"", "Usage"},
        {"frobnicate", "unknown command \"frobnicate\""},
    };
    for (const Mistake &m : mistakes) {
        QStringList args = words(m.args);
        const bool takesStore = !args.isEmpty() && args.first() != QStringLiteral("generate") &&
                                args.first() != QStringLiteral("frobnicate");
        if (takesStore) // right after the command: a trailing option would take it as its value
            args.insert(1, QStringLiteral("--db=") + q(db));
        args.replaceInStrings(QStringLiteral("LOG"), q(log));
        const ProcessResult r = runVigilctl(args);
        SCOPED_TRACE(std::string("vigilctl ") + m.args);
        EXPECT_FALSE(r.crashed);
        EXPECT_EQ(r.exitCode, 2) << r.err;
        EXPECT_NE(r.err.find("Usage:"), std::string::npos) << "no usage on stderr: " << r.err;
        EXPECT_NE(r.err.find(m.named), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << "stdout is for results: " << r.out;
    }
    EXPECT_FALSE(std::filesystem::exists(db)) << "a usage mistake created the store";
}

TEST(CliUsage, OptionValuesOutOfRangeExitWith2)
{
    TempDir dir;
    const std::string db = dir.path("never-created.db");
    const char *const cases[] = {
        "query latency --by colour",      "ingest --batch 0 x.ndjson",       "ingest --batch many x.ndjson",
        "quarantine list --limit 0",      "quarantine show twelve",          "generate --out - --records lots",
        "generate --out - --malformed 2", "generate --out - --payload 9-1",
    };
    for (const char *text : cases) {
        QStringList args = words(text);
        if (args.first() != QStringLiteral("generate"))
            args << QStringLiteral("--db") << q(db);
        const ProcessResult r = runVigilctl(args);
        SCOPED_TRACE(std::string("vigilctl ") + text);
        EXPECT_FALSE(r.crashed);
        EXPECT_EQ(r.exitCode, 2) << r.err;
        EXPECT_FALSE(r.err.empty());
        EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
    }
    EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(CliUsage, HelpExitsWith0)
{
    for (const char *text : {"--help", "help", "-h", "query --help", "ingest --help", "quarantine --help",
                             "generate --help", "demo --help", "query latency -h"}) {
        const ProcessResult r = runVigilctl(words(text));
        SCOPED_TRACE(std::string("vigilctl ") + text);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
        EXPECT_TRUE(r.err.empty()) << r.err;
    }
    const ProcessResult version = runVigilctl({QStringLiteral("version")});
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_EQ(version.out.rfind("vigilctl ", 0), 0u) << version.out;
}
