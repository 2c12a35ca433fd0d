#include "alert_fixture.h"

#include "config/config.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace vigil::test {

SyntheticStore::SyntheticStore(std::string path) : m_path(std::move(path)), m_queue(std::make_unique<WriteQueue>(m_path)) {}

SyntheticStore::~SyntheticStore() = default;

void SyntheticStore::close()
{
    m_queue.reset();
}

void SyntheticStore::add(const Traffic &t)
{
    if (!m_queue)
        m_queue = std::make_unique<WriteQueue>(m_path);
    WriteBatch batch;
    batch.source = "synthetic";
    for (std::int64_t minute = t.fromMs; minute < t.toMs; minute += kMinute) {
        const int errors = static_cast<int>(std::lround(t.perMinute * t.errorShare));
        const int fallbacks = static_cast<int>(std::lround(t.perMinute * t.fallbackShare));
        const int empty = static_cast<int>(std::lround(t.perMinute * t.emptyRetrievalShare));
        for (int i = 0; i < t.perMinute; ++i) {
            Record r;
            r.tsMs = minute + static_cast<std::int64_t>(i) * kMinute / t.perMinute;
            if (r.tsMs >= t.toMs)
                break;
            r.requestId = "syn-" + std::to_string(m_next++) + "-" + std::to_string(r.tsMs);
            r.tenant = t.tenant;
            r.model = t.model;
            r.provider = t.provider;
            r.promptName = t.promptName;
            r.promptVersion = t.promptVersion;
            r.latencyMs = t.latencyMs * (0.9 + 0.2 * (i % 10) / 10.0);
            r.inputTokens = 100;
            r.outputTokens = 20;
            r.costUsd = t.costUsd;
            r.costSource = CostSource::Reported;
            if (i < errors) {
                r.outcome = Outcome::Error;
                r.errorType = "http_5xx";
            } else if (i < errors + fallbacks) {
                r.outcome = Outcome::Fallback;
                r.errorType = "rate_limit";
            }
            if (t.retrievalHits)
                r.retrievalHits = i < empty ? 0 : *t.retrievalHits;
            batch.records.push_back(std::move(r));
        }
    }
    const BatchOutcome outcome = commitNow(*m_queue, std::move(batch));
    ASSERT_TRUE(outcome.ok()) << (outcome.error ? outcome.error->what() : "");
}

AlertConfig alertConfig(const std::string &toml)
{
    return alertSetup(toml).config;
}

AlertSetup alertSetup(const std::string &toml)
{
    std::vector<ConfigProblem> problems;
    const auto config = loadConfigText(toml, "test.toml", problems);
    std::string text;
    for (const ConfigProblem &p : problems)
        text += p.text() + "\n";
    EXPECT_TRUE(config.has_value()) << text;
    return alertSetupFor(config);
}

AlertEvaluator::Options evaluatorOptions(const std::string &storePath, const AlertConfig &config)
{
    AlertEvaluator::Options o;
    o.storePath = storePath;
    o.config = config;
    o.configFile = "test.toml";
    return o;
}

std::vector<OutboxMessage> outbox(const std::string &storePath)
{
    AlertOutbox box(storePath, AlertOutbox::Access::ReadOnly);
    auto messages = box.messages(std::nullopt, 100000);
    std::reverse(messages.begin(), messages.end());
    return messages;
}

std::vector<OutboxMessage> outboxEvents(const std::string &storePath, const std::string &event, const std::string &dedupKey)
{
    std::vector<OutboxMessage> out;
    for (OutboxMessage &m : outbox(storePath)) {
        if (m.event == event && (dedupKey.empty() || m.dedupKey == dedupKey))
            out.push_back(std::move(m));
    }
    return out;
}

bool spinUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

} // namespace vigil::test
