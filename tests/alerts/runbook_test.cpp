// Runbooks: a page for every alert type, each with its sections and three
// numbered first steps; the lint names what is missing; show prints a page.
#include "test_support.h"

#include "alerts/alert_type.h"
#include "runbooks/runbook_library.h"
#include "runbooks/runbook_lint.h"

#include <QDir>
#include <QFile>
#include <QUrl>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

const QString kRepoRunbooks = QStringLiteral(VIGIL_SOURCE_DIR "/runbooks");

std::string pageText(AlertType type)
{
    QFile f(kRepoRunbooks + QLatin1Char('/') + runbookFileName(type));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << runbookFileName(type).toStdString();
    return f.readAll().toStdString();
}

TEST(Runbooks, TheRepositoryPagesPassTheLint)
{
    const auto problems = lintRunbookFolder(kRepoRunbooks);
    std::string text;
    for (const RunbookProblem &p : problems)
        text += p.text().toStdString() + "\n";
    EXPECT_TRUE(problems.empty()) << text;
}

TEST(Runbooks, EveryTypeIsBundledAsTheRepositoryHasIt)
{
    for (AlertType type : allAlertTypes()) {
        const auto bundled = bundledRunbook(type);
        ASSERT_TRUE(bundled.has_value()) << alertTypeName(type);
        EXPECT_EQ(bundled->toStdString(), pageText(type));
    }
    EXPECT_TRUE(lintRunbookFolder(bundledRunbookFolder()).empty());
}

TEST(Runbooks, TheDefaultLinkOpensAPageThatExistsEvenFromABuildTree)
{
    // Nothing configured: the link names a page on this disk (installed, or
    // the source tree's when this build was never installed), never a path
    // that is not there.
    for (const AlertType type : allAlertTypes()) {
        const QUrl url(QString::fromStdString(runbookUrl(type, {})));
        ASSERT_TRUE(url.isLocalFile()) << url.toString().toStdString();
        EXPECT_TRUE(QFile::exists(url.toLocalFile())) << url.toString().toStdString();
        EXPECT_TRUE(url.toLocalFile().endsWith(QStringLiteral("/runbooks/") + runbookFileName(type)));
    }
    EXPECT_EQ(runbookUrl(AlertType::LatencyP95, "https://wiki.example.com/runbooks"),
              "https://wiki.example.com/runbooks/latency_p95.md");
}

TEST(Runbooks, TheIssueTopicsAreCovered)
{
    // The topics the issue names, by the page that covers each.
    EXPECT_NE(pageText(AlertType::ErrorRate).find("provider outage"), std::string::npos);
    EXPECT_NE(pageText(AlertType::LatencyP95).find("latency spike"), std::string::npos);
    const std::string runaway = pageText(AlertType::CostDaily);
    for (const char *cause : {"agent loop", "Prompt injection", "traffic surge"})
        EXPECT_NE(runaway.find(cause), std::string::npos) << cause;
    EXPECT_NE(pageText(AlertType::CostTenant).find("over its budget"), std::string::npos);
    EXPECT_NE(pageText(AlertType::PromptRegression).find("bad prompt deploy"), std::string::npos);
    EXPECT_NE(pageText(AlertType::RetrievalEmptyRate).find("retrieval failure"), std::string::npos);
    EXPECT_NE(pageText(AlertType::IngestStalled).find("no records are arriving"), std::string::npos);
    EXPECT_NE(pageText(AlertType::NotificationFailed).find("not reaching"), std::string::npos);
}

TEST(Runbooks, LintOnABrokenFolderNamesEveryMissingTypeAndEveryPageWithoutThreeSteps)
{
    TempDir dir;
    const QString folder = QString::fromStdString(dir.path("runbooks"));
    QDir().mkpath(folder);
    // A good copy of every page but two; one page with two steps; one with
    // none; one named after no alert type.
    for (AlertType type : allAlertTypes()) {
        if (type == AlertType::IngestStalled || type == AlertType::CostTenant)
            continue;
        writeFile(QString(folder + QLatin1Char('/') + runbookFileName(type)).toStdString(), pageText(type));
    }
    std::string latency = pageText(AlertType::LatencyP95);
    const auto third = latency.find("\n3. ", latency.find("## First three steps"));
    ASSERT_NE(third, std::string::npos);
    latency.erase(third, latency.find("\n## Confirm") - third);
    writeFile(QString(folder + QStringLiteral("/latency_p95.md")).toStdString(), latency);
    writeFile(QString(folder + QStringLiteral("/fallback_rate.md")).toStdString(),
              "# Fallbacks\n\n## What you see\nx\n## Likely causes\ny\n## First three steps\nLook around.\n"
              "## Confirm recovery\nz\n## Escalation\nw\n");
    writeFile(QString(folder + QStringLiteral("/latency_p59.md")).toStdString(), pageText(AlertType::LatencyP95));

    const ProcessResult r = runVigilctl({QStringLiteral("runbook"), QStringLiteral("lint"), folder});
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("ingest_stalled.md: missing: alert type ingest_stalled has no runbook page"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cost_tenant.md: missing"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("latency_p95.md:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("has 2 numbered steps"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fallback_rate.md:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("has 0 numbered steps"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("latency_p59.md: no alert type is called"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("error_rate.md"), std::string::npos) << "good pages are not named";

    const ProcessResult good = runVigilctl({QStringLiteral("runbook"), QStringLiteral("lint"), kRepoRunbooks});
    EXPECT_EQ(good.exitCode, 0) << good.out << good.err;
}

TEST(Runbooks, ShowPrintsThePageAndRefusesUnknownTypes)
{
    const ProcessResult r = runVigilctl({QStringLiteral("runbook"), QStringLiteral("show"), QStringLiteral("cost_tenant")});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, pageText(AlertType::CostTenant));
    const ProcessResult bad = runVigilctl({QStringLiteral("runbook"), QStringLiteral("show"), QStringLiteral("latency")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("no alert type is called \"latency\""), std::string::npos);
}

TEST(RunbookLint, APageMissingItsSectionsIsNamedWithEach)
{
    const auto problems = lintRunbookPage(QStringLiteral("x.md"), QStringLiteral("# X\n\n## First three steps\n1. a\n2. b\n3. c\n"));
    std::string all;
    for (const auto &p : problems)
        all += p.text().toStdString() + "\n";
    EXPECT_EQ(problems.size(), 4u) << all;
    EXPECT_NE(all.find("What you see"), std::string::npos);
    EXPECT_NE(all.find("Likely causes"), std::string::npos);
    EXPECT_NE(all.find("Confirm recovery"), std::string::npos);
    EXPECT_NE(all.find("Escalation"), std::string::npos);
}

} // namespace
} // namespace vigil::test
