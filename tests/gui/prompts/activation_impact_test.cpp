// The Prompts page's before/after panel: the figures of the minutes around an
// activation against a brute-force computation over the records written, and
// on the page, what it says after a switch with too little traffic to judge.
#include "gui_test_support.h"
#include "prompts_world.h"
#include "test_support.h"

#include "prompts/activation_impact.h"
#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompts_page.h"

#include <QPalette>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::test {
namespace {

using namespace vigil::ui;

constexpr std::int64_t kAt = 1795745584000; // the activation
constexpr std::int64_t kMinute = 60'000;

struct Side
{
    std::vector<double> latencies;
    int failed = 0;
    double cost = 0;
};

std::string line(int id, const std::string &prompt, std::int64_t ts, double latency, const char *outcome, double cost)
{
    return R"({"request_id":"imp-)" + std::to_string(id) + R"(","ts":)" + std::to_string(ts) +
           R"(,"tenant":"acme","model":"gpt-4o-mini","provider":"openai","latency_ms":)" + std::to_string(latency) +
           R"(,"outcome":")" + outcome + R"(","prompt_name":")" + prompt + R"(","prompt_version":"abcdef1","cost_usd":)" +
           std::to_string(cost) + "}\n";
}

double nearestRank(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::max<std::size_t>(rank, 1) - 1];
}

TEST(ActivationImpact, FiguresMatchABruteForcePassOverTheRecords)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    std::string ndjson;
    Side before, after;
    int id = 0;
    // 60 calls in the 15 minutes before, 50 after; another prompt's calls and
    // calls outside the windows must not count.
    for (int i = 0; i < 60; ++i) {
        const double latency = 300 + (i * 37) % 400;
        const bool fail = i % 12 == 0;
        ndjson += line(++id, "summarize", kAt - 15 * kMinute + i * 14'000, latency, fail ? "error" : "ok", 0.002);
        before.latencies.push_back(latency);
        before.failed += fail;
        before.cost += 0.002;
    }
    for (int i = 0; i < 50; ++i) {
        const double latency = 900 + (i * 53) % 1500;
        const bool fail = i % 4 == 0;
        ndjson += line(++id, "summarize", kAt + i * 17'000, latency, fail ? (i % 8 == 0 ? "timeout" : "error") : "ok",
                       0.005);
        after.latencies.push_back(latency);
        after.failed += fail;
        after.cost += 0.005;
    }
    for (int i = 0; i < 30; ++i)
        ndjson += line(++id, "classify", kAt - 5 * kMinute + i * 10'000, 5000, "error", 1.0);
    ndjson += line(++id, "summarize", kAt - 16 * kMinute, 99999, "error", 9.0); // before the window
    ndjson += line(++id, "summarize", kAt + 15 * kMinute, 99999, "error", 9.0); // after it
    buildStore(db, dir.path("impact.ndjson"), ndjson);

    PromptActivation activation;
    activation.name = "summarize";
    activation.sha = "abcdef1234567890abcdef1234567890abcdef12";
    activation.activatedAtMs = kAt;
    const ActivationImpact impact = loadActivationImpact(db, activation, 15, kAt + 60 * kMinute);

    ASSERT_EQ(impact.before.requests, before.latencies.size());
    ASSERT_EQ(impact.after.requests, after.latencies.size());
    EXPECT_EQ(impact.before.fromMs, kAt - 15 * kMinute);
    EXPECT_EQ(impact.after.toMs, kAt + 15 * kMinute);
    ASSERT_TRUE(impact.before.p95Ms && impact.after.p95Ms);
    EXPECT_DOUBLE_EQ(*impact.before.p95Ms, nearestRank(before.latencies, 0.95));
    EXPECT_DOUBLE_EQ(*impact.after.p95Ms, nearestRank(after.latencies, 0.95));
    EXPECT_DOUBLE_EQ(impact.before.errorRate, before.failed / 60.0);
    EXPECT_DOUBLE_EQ(impact.after.errorRate, after.failed / 50.0);
    ASSERT_TRUE(impact.before.costPerRequestUsd && impact.after.costPerRequestUsd);
    EXPECT_NEAR(*impact.before.costPerRequestUsd, before.cost / 60, 1e-9);
    EXPECT_NEAR(*impact.after.costPerRequestUsd, after.cost / 50, 1e-9);
    EXPECT_TRUE(impact.enough());

    // "Now" 5 minutes after the switch: the after side stops there.
    const ActivationImpact early = loadActivationImpact(db, activation, 15, kAt + 5 * kMinute);
    EXPECT_EQ(early.after.toMs, kAt + 5 * kMinute);
    EXPECT_LT(early.after.requests, after.latencies.size());

    const QString text = describeImpact(impact, QPalette());
    EXPECT_TRUE(text.contains(QStringLiteral("before"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("abcdef1"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("Too few"))) << text.toStdString();
}

TEST(ActivationImpact, ThePageSaysWhenThereIsTooLittleTrafficAroundTheSwitch)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    ASSERT_TRUE(w.page->impactText().isEmpty()) << "no activation yet";
    // The world's records end a quarter of an hour ago: nothing on either side of a switch made now.
    w.page->requestActivate(QStringLiteral("summarize"), QString::fromStdString(world.summarizeB.substr(0, 7)));
    PromptSwitchDialog *dialog = waitForDialog(*w.page);
    ASSERT_NE(dialog, nullptr) << w.page->noticeText().toStdString();
    ASSERT_TRUE(confirm(*w.page, dialog, QStringLiteral("try the shorter bullets")));
    ASSERT_TRUE(waitFor([&] { return w.page->impactText().contains(QStringLiteral("Too few requests")); }))
        << w.page->impactText().toStdString();
    EXPECT_TRUE(w.page->impactText().contains(QString::fromStdString(world.summarizeB.substr(0, 7))));
}

} // namespace
} // namespace vigil::test
