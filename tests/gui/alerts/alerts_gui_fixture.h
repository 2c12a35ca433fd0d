#pragma once
// Stores for the Alerts and Costs page tests: synthetic traffic written
// through the real writer, alert rows written by the real evaluator at
// chosen instants, the rules from a real vigil.toml, and the real window.

#include "alerts/alert_setup.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil::ui {
class MainWindow;
}

namespace vigil::test {

// 2026-11-20T12:00:00Z: "now" of the incident store (the console is pinned to it).
inline constexpr std::int64_t kAt = 1795176000000;
inline constexpr std::int64_t kMin = 60'000;

struct Traffic
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    int perMinute = 30;
    std::string tenant;
    std::string model;
    std::string provider;
    double latencyMs = 500;
    double costUsd = 0.001;
    double errorShare = 0; // the first share of each minute's requests fail (http_5xx)
};

void addTraffic(const std::string &storePath, const std::vector<Traffic> &traffic);

// vigil.toml read by the real reader; a test failure names its problems.
AlertSetup setupFromFile(const std::string &configPath);

// The real evaluator over the store: every minute of [fromMs, toMs], then
// the lease is let go (as a process that stops does).
void evaluateEveryMinute(const std::string &storePath, const AlertSetup &setup, std::int64_t fromMs, std::int64_t toMs);

// The incident store: three tenants from 09:00 to 12:00 UTC; google's
// errors (30%) and gemini's latency (5 s) in the last 20 minutes, anthropic's
// errors (20%) from 11:00 to 11:20 (fired and resolved), a sustained-latency
// rule whose `for` (1 h) has not run out (pending), and caps that put acme
// below the warning share, beta between it and the cap (with an overdue
// review) and gamma over its cap. Evaluated from 10:50 to 12:00.
struct IncidentStore
{
    std::string storePath;
    std::string configPath;
    AlertSetup setup;
};
IncidentStore buildIncidentStore(const std::string &folder);

// Spend of the incident store's tenants at kAt (computed from the traffic, not read back).
inline constexpr double kAcmeSpend = 180 * 30 * 0.001; // $5.40
inline constexpr double kBetaSpend = 180 * 30 * 0.002; // $10.80
inline constexpr double kGammaSpend = 180 * 30 * 0.003; // $16.20
// At the last hour's rate, for the 12 hours left of the day.
inline constexpr double kAcmeProjected = kAcmeSpend + 12 * 60 * 30 * 0.001; // $27.00
inline constexpr double kTotalProjected = (kAcmeSpend + kBetaSpend + kGammaSpend) * 5; // 3 h spent + 12 h more

// The real window, offscreen, pinned to `nowMs`, its own evaluator off
// unless asked for, on `storePath` with the rules of `configPath`; returns
// once the store is open and the first alert snapshot arrived.
std::unique_ptr<ui::MainWindow> openWindow(const std::string &storePath, const std::string &configPath,
                                           std::int64_t nowMs, bool evaluator = false);

} // namespace vigil::test
