// prompts.lock.json is replaced atomically: a writer SIGKILLed at any moment
// leaves the old complete file or the new complete file, never a torn one.
#include "manifest_contents.h"
#include "test_support.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_manifest.h"

#include <QJsonDocument>
#include <QProcess>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

namespace vigil {
namespace {

using test::TempDir;

TEST(Manifest, JsonIsDeterministicAndSorted)
{
    const std::string json = manifestJson({{"zeta", "1111111", "prompts/zeta.txt", 0, "a@b", std::nullopt, std::nullopt},
                                           {"alpha", "2222222", "prompts/alpha.txt", 0, "a@b", std::string("r"),
                                            std::string("hé\n")}});
    EXPECT_EQ(json, manifestJson({{"alpha", "2222222", "prompts/alpha.txt", 0, "a@b", std::string("r"), std::string("hé\n")},
                                  {"zeta", "1111111", "prompts/zeta.txt", 0, "a@b", std::nullopt, std::nullopt}}));
    EXPECT_LT(json.find("alpha"), json.find("zeta"));
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    EXPECT_EQ(doc.object().value(QStringLiteral("format")).toInt(), 1);
    EXPECT_TRUE(doc.object()
                    .value(QStringLiteral("prompts"))
                    .toObject()
                    .value(QStringLiteral("zeta"))
                    .toObject()
                    .value(QStringLiteral("content"))
                    .isNull());
}

TEST(Manifest, WriteReplacesAndCreatesTheFolder)
{
    TempDir dir;
    const ManifestWriter writer(dir.path("deep/deploy"));
    writer.checkWritable();
    writer.write("one");
    EXPECT_EQ(test::readFile(dir.path("deep/deploy/prompts.lock.json")), "one");
    writer.write("two");
    EXPECT_EQ(test::readFile(writer.path()), "two");
    // No temporary files are left behind.
    std::size_t files = 0;
    for (const auto &entry : std::filesystem::directory_iterator(dir.path("deep/deploy")))
        files += entry.path().filename().string().find(".tmp") == std::string::npos ? 1 : 0;
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path("deep/deploy")),
                            std::filesystem::directory_iterator()),
              1);
    EXPECT_EQ(files, 1u);
}

TEST(Manifest, UnwritableFolderIsReported)
{
    TempDir dir;
    test::writeFile(dir.path("file"), "x");
    const ManifestWriter writer(dir.path("file"));
    try {
        writer.checkWritable();
        FAIL() << "no error";
    } catch (const PromptError &e) {
        EXPECT_EQ(e.kind(), PromptErrorKind::DeployUnwritable);
        EXPECT_NE(std::string(e.what()).find(dir.path("file")), std::string::npos) << e.what();
    }
    EXPECT_THROW(writer.write("x"), PromptError);
    EXPECT_EQ(test::readFile(dir.path("file")), "x");
}

TEST(Manifest, SigkillDuringWritesNeverLeavesATornFile)
{
    TempDir dir;
    const std::string folder = dir.path("deploy");
    const ManifestWriter writer(folder);
    const std::string small = test::smallManifest(), large = test::largeManifest();
    writer.write(small);
    std::mt19937 rng(2024);
    int sawLarge = 0, sawSmall = 0;
    constexpr int kKills = 40;
    for (int round = 0; round < kKills; ++round) {
        QProcess child;
        child.start(QStringLiteral(MANIFEST_CHILD_PATH), {QString::fromStdString(folder)});
        ASSERT_TRUE(child.waitForStarted(30000));
        // Let it get going (it has replaced the file at least once), then kill it at a random moment.
        ASSERT_TRUE(test::waitUntil([&] { return test::readFile(writer.path()) == large; }, 60000, 1))
            << "the child never wrote the manifest";
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
        ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
        ASSERT_TRUE(child.waitForFinished(30000));
        EXPECT_EQ(child.exitStatus(), QProcess::CrashExit);
        const std::string now = test::readFile(writer.path());
        ASSERT_TRUE(now == small || now == large) << "round " << round << ": a torn manifest of " << now.size() << " bytes";
        QJsonParseError error{};
        QJsonDocument::fromJson(QByteArray::fromStdString(now), &error);
        EXPECT_EQ(error.error, QJsonParseError::NoError);
        (now == large ? sawLarge : sawSmall)++;
    }
    EXPECT_EQ(sawLarge + sawSmall, kKills);
    // A kill can leave a temporary file; the manifest itself is never one.
    writer.write(small);
    EXPECT_EQ(test::readFile(writer.path()), small);
}

} // namespace
} // namespace vigil
