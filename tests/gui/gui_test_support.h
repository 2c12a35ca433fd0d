#pragma once
// Helpers of the GUI tests: a real store built from `vigilctl generate`
// output through the core ingest API, waiting on the event loop, and reading
// `vigilctl query --json`.

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <string>

namespace vigil::test {

// Generated logs: a day of traffic ending at kNowMs with the demo incident in
// the last 40 minutes, ingested once per test binary.
inline constexpr std::int64_t kNowMs = 1795745584123; // 2026-11-26T21:33:04.123Z

struct GuiStore
{
    std::string storePath;
    std::string logPath;
};
// Built on first use into a folder that lives as long as the test binary.
const GuiStore &sharedStore();
// A new store holding `lines` (one NDJSON record per line), ingested with the core API.
void buildStore(const std::string &storePath, const std::string &logPath, const std::string &content);

// Runs the event loop until `done` or `timeoutMs` passed; returns done().
bool waitFor(const std::function<bool()> &done, int timeoutMs = 60'000);

// `vigilctl <args> --json --db <store>`, parsed.
QJsonObject vigilctlJson(const std::string &storePath, const QStringList &args);

QString rfc3339(std::int64_t ms);

} // namespace vigil::test
