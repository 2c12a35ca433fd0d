// Live metrics per prompt version from stored records (short SHAs, full
// SHAs and tags count for their version), and the prompt-regression check.
#include "git_fixture.h"
#include "test_support.h"

#include "demo/demo_store.h"
#include "prompts/prompt_regression.h"
#include "prompts/version_metrics.h"
#include "store/metrics_reader.h"
#include "store/prompt_activation_store.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace vigil {
namespace {

using test::GitFixture;
using test::TempDir;

constexpr std::int64_t kT0 = 1'790'000'000'000; // a whole hour

std::string line(int id, std::int64_t ts, const std::string &version, double latency, const std::string &outcome,
                 double cost = 0.001, const std::string &prompt = "answer")
{
    char buffer[512];
    std::snprintf(buffer, sizeof buffer,
                  R"({"ts":%lld,"request_id":"r%d","tenant":"acme","model":"m","prompt_name":"%s","prompt_version":"%s","latency_ms":%.1f,"outcome":"%s","cost_usd":%.4f%s})",
                  static_cast<long long>(ts), id, prompt.c_str(), version.c_str(), latency, outcome.c_str(), cost,
                  outcome == "error" ? R"(,"error_type":"http_5xx")" : "");
    return buffer;
}

void ingest(const std::string &store, const std::string &file)
{
    const auto r = test::runVigilctl({QStringLiteral("ingest"), QStringLiteral("--db"), QString::fromStdString(store),
                                      QString::fromStdString(file)});
    ASSERT_EQ(r.exitCode, 0) << r.err;
}

TEST(VersionMetrics, PerVersionFiguresFromTheRecords)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), false);
    const std::string v1 = git.commit({{"prompts/answer.txt", "one\n"}}, "v1");
    const std::string v2 = git.commit({{"prompts/answer.txt", "two\n"}}, "v2");
    const std::string v3 = git.commit({{"prompts/answer.txt", "three\n"}}, "v3 (never seen)");
    git.tag("stable", v1);
    std::string ndjson;
    int id = 0;
    // v1: 10 requests stamped short, 10 full, 5 by tag; 1 error, 2 fallbacks.
    for (int i = 0; i < 25; ++i) {
        const std::string stamp = i < 10 ? v1.substr(0, 7) : i < 20 ? v1 : "stable";
        const std::string outcome = i == 3 ? "error" : (i == 4 || i == 12) ? "fallback" : "ok";
        ndjson += line(++id, kT0 + i * 60'000, stamp, 100 + i, outcome, 0.002) + "\n";
    }
    // v2: 10 requests, half of them timeouts; slower.
    for (int i = 0; i < 10; ++i)
        ndjson += line(++id, kT0 + 30 * 60'000 + i * 1000, v2.substr(0, 9), 900, i % 2 ? "timeout" : "ok", 0.004) + "\n";
    // A stamp the repository does not know, and another prompt.
    ndjson += line(++id, kT0 + 5000, "deadbeef00", 50, "ok") + "\n";
    ndjson += line(++id, kT0 + 6000, v1, 50, "ok", 0.001, "other") + "\n";
    test::writeFile(dir.path("log.ndjson"), ndjson);
    const std::string store = dir.path("vigil.db");
    ingest(store, dir.path("log.ndjson"));

    PromptRegistry registry({dir.path("repo"), "prompts"});
    const auto metrics = promptVersionMetrics(store, registry, "answer", registry.versions("answer"));
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->size(), 4u);
    const VersionMetrics &m3 = (*metrics)[0], &m2 = (*metrics)[1], &m1 = (*metrics)[2], &unknown = (*metrics)[3];
    EXPECT_EQ(m3.sha, v3);
    EXPECT_EQ(m3.requests, 0u);
    EXPECT_FALSE(m3.firstSeenMs);

    EXPECT_EQ(m1.sha, v1);
    EXPECT_EQ(m1.requests, 25u);
    EXPECT_EQ(m1.stamps.size(), 3u);
    EXPECT_DOUBLE_EQ(m1.errorRate, 1.0 / 25);
    EXPECT_DOUBLE_EQ(m1.fallbackRate, 2.0 / 25);
    ASSERT_TRUE(m1.meanCostUsd);
    EXPECT_NEAR(*m1.meanCostUsd, 0.002, 1e-9);
    EXPECT_EQ(m1.firstSeenMs, kT0);
    EXPECT_EQ(m1.lastSeenMs, kT0 + 24 * 60'000);
    ASSERT_TRUE(m1.p50Ms && m1.p95Ms);
    EXPECT_NEAR(*m1.p95Ms, 123, 123 * 0.011); // merged with the tag's records: sketch, within 1%
    EXPECT_FALSE(m1.exactPercentiles);

    EXPECT_EQ(m2.requests, 10u);
    EXPECT_DOUBLE_EQ(m2.errorRate, 0.5);
    EXPECT_TRUE(m2.exactPercentiles);
    EXPECT_DOUBLE_EQ(*m2.p95Ms, 900);
    EXPECT_EQ(m2.firstSeenMs, kT0 + 30 * 60'000);
    EXPECT_EQ(m2.lastSeenMs, kT0 + 30 * 60'000 + 9000);

    EXPECT_FALSE(unknown.known);
    EXPECT_EQ(unknown.sha, "deadbeef00");
    EXPECT_EQ(unknown.requests, 1u);

    std::atomic<bool> cancel{true};
    EXPECT_FALSE(promptVersionMetrics(store, registry, "answer", registry.versions("answer"), std::nullopt, &cancel));
}

TEST(PromptRegression, NewVersionWorseByTheMarginIsFound)
{
    TempDir dir;
    const std::string before = std::string(40, 'a'), after = std::string(40, 'b'), calm = std::string(40, 'c');
    const std::int64_t at = kT0 + 60 * 60'000;
    std::string ndjson;
    int id = 0;
    for (int i = 0; i < 120; ++i) {
        // previous version: 100-219 ms, 1% errors; new version: 3x slower, 10% errors.
        ndjson += line(++id, at - 15 * 60'000 + i * 7000, before.substr(0, 7), 100 + i, i == 0 ? "error" : "ok") + "\n";
        ndjson += line(++id, at + i * 7000, after, 300 + 3 * i, i % 10 == 0 ? "error" : "ok") + "\n";
        ndjson += line(++id, at + 2 * 3'600'000 + i * 7000, calm, 100 + i, "ok") + "\n";
    }
    test::writeFile(dir.path("log.ndjson"), ndjson);
    const std::string store = dir.path("vigil.db");
    ingest(store, dir.path("log.ndjson"));
    MetricsReader reader(store);

    PromptActivation activation;
    activation.id = 7;
    activation.name = "answer";
    activation.sha = after;
    activation.previousSha = before;
    activation.activatedAtMs = at;
    PromptRegressionRule rule;
    rule.windowMs = 15 * 60'000;
    rule.minRequests = 50;
    const auto finding = detectPromptRegression(reader, activation, rule, at + 20 * 60'000);
    ASSERT_TRUE(finding);
    EXPECT_TRUE(finding->p95Worse);
    EXPECT_TRUE(finding->errorRateWorse);
    EXPECT_EQ(finding->previous.sha, before);
    EXPECT_EQ(finding->current.sha, after);
    EXPECT_GE(finding->previous.requests, 100u);
    EXPECT_GE(finding->current.requests, 100u);
    EXPECT_NE(finding->summary.find("bbbbbbb is worse than aaaaaaa"), std::string::npos) << finding->summary;
    EXPECT_EQ(finding->runbook, "runbooks/bad-prompt-deploy.md");

    // Margins wider than the change: no finding.
    PromptRegressionRule lenient = rule;
    lenient.p95Margin = 5;
    lenient.errorRateMargin = 0.5;
    EXPECT_FALSE(detectPromptRegression(reader, activation, lenient, at + 20 * 60'000));
    // Only the error rate is judged when p95 is within its margin.
    PromptRegressionRule errorsOnly = rule;
    errorsOnly.p95Margin = 5;
    const auto errors = detectPromptRegression(reader, activation, errorsOnly, at + 20 * 60'000);
    ASSERT_TRUE(errors);
    EXPECT_FALSE(errors->p95Worse);
    EXPECT_TRUE(errors->errorRateWorse);
    // Too few requests yet: no verdict.
    EXPECT_FALSE(detectPromptRegression(reader, activation, rule, at + 60'000));
    // A version as good as the previous one.
    PromptActivation fine = activation;
    fine.activatedAtMs = at + 2 * 3'600'000;
    fine.sha = calm;
    fine.previousSha = after; // compared with `after` in the quarter hour before: nothing there
    EXPECT_FALSE(detectPromptRegression(reader, fine, rule, fine.activatedAtMs + 20 * 60'000));
    PromptActivation first = activation;
    first.previousSha.reset();
    EXPECT_FALSE(detectPromptRegression(reader, first, rule, at + 20 * 60'000));
}

} // namespace
} // namespace vigil

namespace vigil {
namespace {

TEST(PromptRegression, TheDemoIncidentsBadDeployIsFound)
{
    TempDir dir;
    const std::string store = dir.path("demo.db");
    const std::int64_t now = 1'795'745'600'000; // 2026-11-27T02:40:00Z
    std::atomic<bool> cancel{false};
    const IngestSummary summary = buildDemoStore({store, now, 25'000}, cancel);
    ASSERT_FALSE(summary.storeError);
    PromptActivationStore activations(store, PromptActivationStore::Access::ReadOnly);
    const auto active = activations.active("answer-question");
    ASSERT_TRUE(active);
    EXPECT_EQ(active->activatedAtMs, now - 40 * 60'000);
    MetricsReader reader(store);
    PromptRegressionRule rule;
    rule.windowMs = 30 * 60'000;
    rule.minRequests = 30;
    const auto finding = detectPromptRegression(reader, *active, rule, now);
    ASSERT_TRUE(finding);
    // The bad deploy makes gpt-4o-mini, most of the traffic, five times slower:
    // the prompt's p95 is what trips, by far more than the margin.
    EXPECT_TRUE(finding->p95Worse) << finding->summary;
    ASSERT_TRUE(finding->current.p95Ms && finding->previous.p95Ms);
    EXPECT_GT(*finding->current.p95Ms, 2 * *finding->previous.p95Ms) << finding->summary;
    EXPECT_NE(finding->summary.find(active->sha.substr(0, 7)), std::string::npos);
    EXPECT_NE(finding->summary.find(active->previousSha->substr(0, 7)), std::string::npos);
    EXPECT_EQ(finding->previous.sha, *active->previousSha);

    // Every version the demo records stamp is a commit of the demo repository.
    PromptRegistry registry({dir.path("demo-prompts"), "prompts"});
    const auto metrics = promptVersionMetrics(store, registry, "answer-question", registry.versions("answer-question"));
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->size(), 3u);
    for (const auto &m : *metrics) {
        EXPECT_TRUE(m.known);
        EXPECT_GT(m.requests, 0u);
    }
    EXPECT_EQ((*metrics)[0].firstSeenMs.value_or(0) >= now - 40 * 60'000, true);
}

} // namespace
} // namespace vigil
