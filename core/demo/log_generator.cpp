#include "demo/log_generator.h"

#include "record/timestamp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace vigil {

namespace {

constexpr double kPi = 3.14159265358979323846;

constexpr std::array<std::string_view, 12> kTenants = {
    "acme", "globex", "initech", "umbrella", "hooli", "stark",
    "wayne", "wonka", "tyrell", "cyberdyne", "soylent", "aperture"};

struct ModelSpec
{
    std::string_view name;
    std::string_view provider;
    double share;
    double medianMs;
};

// Medians chosen so that, outside the incident, every model's p95 over any
// 10 minutes stays well under the shipped model-latency threshold (4 s): a
// healthy model whose p95 wanders across it would page the demo's on-call
// engineer for nothing, and at a random hour (tests/unit/demo_generator_test).
constexpr std::array<ModelSpec, 5> kModels = {{
    {"gpt-4o-mini-2024-07-18", "openai", 0.45, 600},
    {"gpt-4o-2024-08-06", "openai", 0.15, 850},
    {"claude-3-5-sonnet-20241022", "anthropic", 0.20, 950},
    {"claude-3-5-haiku-20241022", "anthropic", 0.10, 500},
    {"meta-llama/Llama-3.1-70B-Instruct", "vllm", 0.10, 900},
}};

constexpr std::array<std::string_view, 64> kWords = {
    "the", "customer", "reported", "that", "invoice", "order", "shipment", "delayed", "refund",
    "account", "password", "reset", "billing", "subscription", "plan", "upgrade", "support",
    "ticket", "priority", "urgent", "summary", "policy", "document", "section", "clause",
    "contract", "renewal", "date", "amount", "balance", "payment", "failed", "retry", "network",
    "error", "service", "latency", "response", "model", "answer", "question", "context",
    "retrieval", "search", "result", "product", "feature", "release", "version", "update",
    "please", "thanks", "help", "issue", "resolved", "pending", "escalate", "manager", "team",
    "report", "weekly", "metrics", "dashboard", "incident"};

void appendEscaped(std::string &out, std::string_view s)
{
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    out += '"';
}

void appendField(std::string &out, std::string_view key)
{
    out += ",\"";
    out += key;
    out += "\":";
}

std::string hexSha(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    char buf[41];
    std::snprintf(buf, sizeof buf, "%016llx%016llx%08llx",
                  static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng() & 0xffffffffULL));
    return buf;
}

} // namespace

std::vector<PromptSpec> demoPrompts(std::int64_t startMs, std::int64_t endMs)
{
    const std::int64_t span = endMs - startMs;
    std::vector<PromptSpec> prompts;
    prompts.push_back({"summarize", {{hexSha(11), startMs}, {hexSha(12), startMs + span / 3}}});
    prompts.push_back({"classify-ticket", {{hexSha(21), startMs}}});
    prompts.push_back({"answer-question",
                       {{hexSha(31), startMs}, {hexSha(32), startMs + span / 2},
                        {hexSha(33), endMs - 40 * 60'000}}});
    prompts.push_back({"extract-entities", {{hexSha(41), startMs}, {hexSha(42), startMs + span / 4}}});
    return prompts;
}

LogGenerator::LogGenerator(GeneratorOptions options)
    : m_options(std::move(options)), m_rng(m_options.seed)
{
    if (m_options.prompts.empty())
        m_options.prompts = demoPrompts(m_options.startMs, m_options.endMs);
    double total = 0;
    for (std::size_t i = 0; i < kTenants.size(); ++i) {
        total += 1.0 / std::pow(static_cast<double>(i + 1), 1.1);
        m_tenantCdf.push_back(total);
    }
    for (double &c : m_tenantCdf)
        c /= total;
}

double LogGenerator::uniform()
{
    return static_cast<double>(m_rng() >> 11) * (1.0 / 9007199254740992.0);
}

double LogGenerator::normal()
{
    const double u1 = std::max(uniform(), 1e-12), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

std::int64_t LogGenerator::timestampAt(std::uint64_t index)
{
    // Evenly spaced in "traffic time", warped so that the rate follows a daily
    // rhythm (busy afternoons UTC, quiet nights) without breaking time order.
    const double span = static_cast<double>(m_options.endMs - m_options.startMs);
    const double x = (static_cast<double>(index) + 0.5) / static_cast<double>(m_options.records);
    double t = x * span;
    constexpr double day = 86'400'000.0;
    // Inverse of F(t) = t - A*day/(2pi) * (cos(2pi t/day + phase) - cos(phase)), solved by two
    // Newton steps; A = 0.45 keeps the rate between 0.55x and 1.45x of the mean.
    constexpr double amplitude = 0.45;
    const double phase = 2 * kPi * (static_cast<double>(m_options.startMs % 86'400'000) / day - 0.35);
    for (int i = 0; i < 3; ++i) {
        const double f = t - amplitude * day / (2 * kPi) * (std::cos(2 * kPi * t / day + phase) - std::cos(phase)) - x * span;
        const double df = 1 + amplitude * std::sin(2 * kPi * t / day + phase);
        t -= f / df;
    }
    t = std::clamp(t, 0.0, span - 1);
    return m_options.startMs + static_cast<std::int64_t>(t);
}

const PromptVersionSpec &LogGenerator::versionAt(const PromptSpec &prompt, std::int64_t ts) const
{
    const PromptVersionSpec *current = &prompt.versions.front();
    for (const auto &v : prompt.versions) {
        if (v.activeFromMs <= ts)
            current = &v;
    }
    return *current;
}

void LogGenerator::appendText(std::string &out, std::size_t bytes)
{
    const std::size_t start = out.size();
    bool capital = true;
    while (out.size() - start < bytes) {
        std::string_view w = kWords[m_rng() % kWords.size()];
        if (capital) {
            out += static_cast<char>(w[0] - 32);
            out.append(w.substr(1));
            capital = false;
        } else {
            out.append(w);
        }
        if (m_rng() % 12 == 0) {
            out += ". ";
            capital = true;
        } else {
            out += ' ';
        }
    }
    out += "end.";
}

bool LogGenerator::next(std::string &line)
{
    if (m_index >= m_options.records)
        return false;
    const std::int64_t ts = timestampAt(m_index);
    line.clear();
    if (m_options.malformedShare > 0 && uniform() < m_options.malformedShare) {
        writeMalformed(line, ts);
        ++m_malformed;
    } else {
        writeRecord(line, ts);
    }
    ++m_index;
    return true;
}

void LogGenerator::writeMalformed(std::string &line, std::int64_t ts)
{
    switch (m_rng() % 6) {
    case 0: // truncated JSON
        line = "{\"ts\":\"" + formatRfc3339Ms(ts) + "\",\"request_id\":\"bad_" +
               std::to_string(m_index) + "\",\"tenant\":\"acme\",\"mod";
        break;
    case 1: // missing a required field
        line = "{\"ts\":\"" + formatRfc3339Ms(ts) + "\",\"request_id\":\"bad_" +
               std::to_string(m_index) + "\",\"tenant\":\"acme\",\"latency_ms\":12,\"outcome\":\"ok\"}";
        break;
    case 2: // wrong type
        line = "{\"ts\":\"" + formatRfc3339Ms(ts) + "\",\"request_id\":\"bad_" +
               std::to_string(m_index) +
               "\",\"tenant\":\"acme\",\"model\":\"gpt-4o\",\"latency_ms\":\"slow\",\"outcome\":\"ok\"}";
        break;
    case 3: // value outside the enum
        line = "{\"ts\":\"" + formatRfc3339Ms(ts) + "\",\"request_id\":\"bad_" +
               std::to_string(m_index) +
               "\",\"tenant\":\"acme\",\"model\":\"gpt-4o\",\"latency_ms\":5,\"outcome\":\"maybe\"}";
        break;
    case 4: // invalid UTF-8
        line = "{\"ts\":\"" + formatRfc3339Ms(ts) + "\",\"request_id\":\"bad_" +
               std::to_string(m_index) +
               "\",\"tenant\":\"ac\xC3\x28me\",\"model\":\"gpt-4o\",\"latency_ms\":5,\"outcome\":\"ok\"}";
        break;
    default: // not JSON at all
        line = "ERROR 2026 upstream said: connection reset by peer";
        break;
    }
}

void LogGenerator::writeRecord(std::string &line, std::int64_t ts)
{
    // Labels.
    const double u = uniform();
    std::size_t tenant = 0;
    while (tenant + 1 < m_tenantCdf.size() && u > m_tenantCdf[tenant])
        ++tenant;
    double m = uniform();
    std::size_t model = 0;
    while (model + 1 < kModels.size() && m > kModels[model].share) {
        m -= kModels[model].share;
        ++model;
    }
    const ModelSpec &spec = kModels[model];
    const PromptSpec &prompt = m_options.prompts[m_rng() % m_options.prompts.size()];
    const PromptVersionSpec &version = versionAt(prompt, ts);
    const bool isRag = prompt.name == "answer-question";
    const bool badDeploy = isRag && &version == &prompt.versions.back() && prompt.versions.size() > 1 &&
                           m_options.incidentEndMs;

    // Incident windows.
    const std::int64_t incEnd = m_options.incidentEndMs.value_or(INT64_MIN);
    const bool providerBurst = m_options.incidentEndMs && spec.provider == "anthropic" &&
                               ts >= incEnd - 30 * 60'000 && ts < incEnd - 10 * 60'000;

    // Tokens and latency.
    const std::size_t payload = m_options.minPayloadBytes +
        (m_options.maxPayloadBytes > m_options.minPayloadBytes
             ? m_rng() % (m_options.maxPayloadBytes - m_options.minPayloadBytes + 1) : 0);
    const std::int64_t inputTokens = static_cast<std::int64_t>(payload * 2 / 3 / 4) + 40;
    // Answers stop at max_tokens (1024), as a real client sets it.
    std::int64_t outputTokens = std::min<std::int64_t>(static_cast<std::int64_t>(std::exp(5.2 + 0.6 * normal())), 1024);
    double latency = spec.medianMs * std::exp(0.35 * normal()) * (0.7 + outputTokens / 600.0);
    if (badDeploy && spec.name.starts_with("gpt-4o-mini")) {
        latency *= 5.0; // the bad deploy: long answers, retried tool calls
        outputTokens *= 3;
    }

    // Outcome.
    std::string_view outcome = "ok";
    std::string_view errorType;
    const double o = uniform();
    if (providerBurst && o < 0.35) {
        outcome = "error";
        errorType = "http_5xx";
        latency = 200 + uniform() * 800;
    } else if (o < 0.004) {
        // A healthy day's failures: 0.4% errors and 0.1% timeouts, rare enough
        // that 3 in a 50-request window (over the shipped 5%) stays unlikely.
        outcome = "error";
        errorType = m_rng() % 3 == 0 ? "rate_limit" : (m_rng() % 2 ? "http_5xx" : "invalid_request");
        latency = 100 + uniform() * 600;
    } else if (o < 0.005) {
        outcome = "timeout";
        errorType = "timeout";
        latency = 30000 + uniform() * 50;
    } else if (o < 0.022 || (badDeploy && o < 0.06)) {
        outcome = "fallback";
        errorType = badDeploy ? "invalid_request" : "rate_limit";
    } else if (o < 0.025) {
        outcome = "refused";
        errorType = "content_filter";
    } else if (o < 0.027) {
        outcome = "blocked";
        errorType = "cost_cap";
    }

    // The line. Timestamps vary in form as real producers do.
    line.reserve(payload + 800);
    line += "{\"ts\":";
    const unsigned form = m_rng() % 20;
    if (form == 0) {
        line += std::to_string(ts);
    } else if (form == 1) {
        std::string text = formatRfc3339Ms(ts + 2 * 3'600'000);
        text.replace(text.size() - 1, 1, "+02:00");
        appendEscaped(line, text);
    } else {
        appendEscaped(line, formatRfc3339Ms(ts));
    }
    char id[40];
    std::snprintf(id, sizeof id, "req_%010llx%012llx", static_cast<unsigned long long>(ts),
                  static_cast<unsigned long long>(m_rng() & 0xffffffffffffULL));
    appendField(line, "request_id");
    appendEscaped(line, id);
    appendField(line, "tenant");
    appendEscaped(line, kTenants[tenant]);
    appendField(line, "model");
    appendEscaped(line, spec.name);
    appendField(line, "provider");
    appendEscaped(line, spec.provider);
    appendField(line, "prompt_name");
    appendEscaped(line, prompt.name);
    appendField(line, "prompt_version");
    appendEscaped(line, version.version.substr(0, 7 + (m_rng() % 2) * 33));
    char number[64];
    std::snprintf(number, sizeof number, "%.1f", latency);
    appendField(line, "latency_ms");
    line += number;
    if (outcome == "ok" || outcome == "fallback" || outcome == "refused") {
        appendField(line, "input_tokens");
        line += std::to_string(inputTokens);
        appendField(line, "output_tokens");
        line += std::to_string(outcome == "ok" ? outputTokens : 0);
        if (m_rng() % 10 < 7) {
            // Most callers report their spend; the rest is computed from prices.
            const double per = spec.provider == "anthropic" ? 3.0 : 0.6;
            std::snprintf(number, sizeof number, "%.6f",
                          (static_cast<double>(inputTokens) * per / 4 +
                           static_cast<double>(outputTokens) * per) / 1e6);
            appendField(line, "cost_usd");
            line += number;
        }
    }
    if (isRag) {
        const std::int64_t hits = providerBurst || m_rng() % 10 == 0 ? 0 : static_cast<std::int64_t>(1 + m_rng() % 8);
        appendField(line, "retrieval_hits");
        line += std::to_string(hits);
    }
    appendField(line, "outcome");
    appendEscaped(line, outcome);
    if (!errorType.empty()) {
        appendField(line, "error_type");
        appendEscaped(line, errorType);
    }
    appendField(line, "user");
    appendEscaped(line, "u" + std::to_string(m_rng() % 5000));
    std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(m_rng()),
                  static_cast<unsigned long long>(m_rng()));
    appendField(line, "trace_id");
    appendEscaped(line, id);
    appendField(line, "session_id");
    appendEscaped(line, "s" + std::to_string(m_rng() % 20000));

    // Payload: about a third each for input, output and retrieval context.
    const std::size_t part = payload / (isRag ? 3 : 2);
    appendField(line, "input");
    if (m_rng() % 2) {
        line += "[{\"role\":\"system\",\"content\":\"You are a careful assistant for ";
        line += kTenants[tenant];
        line += ".\"},{\"role\":\"user\",\"content\":\"";
        appendText(line, part);
        line += "\"}]";
    } else {
        line += '"';
        appendText(line, part);
        line += '"';
    }
    if (outcome == "ok" || outcome == "fallback") {
        appendField(line, "output");
        line += '"';
        appendText(line, part);
        line += '"';
    }
    if (isRag) {
        appendField(line, "retrieval_context");
        line += "[\"";
        appendText(line, part / 2);
        line += "\",{\"id\":\"kb-";
        line += std::to_string(m_rng() % 900);
        line += "\",\"text\":\"";
        appendText(line, part / 2);
        line += "\"}]";
    }
    if (m_rng() % 4 == 0) {
        appendField(line, "action");
        if (m_rng() % 2)
            line += "\"email_sent\"";
        else
            line += "{\"type\":\"ticket_updated\",\"ticket\":" + std::to_string(m_rng() % 100000) + "}";
    }
    appendField(line, "region");
    line += m_rng() % 3 ? "\"eu-west-1\"" : "\"us-east-1\"";
    appendField(line, "app_version");
    line += "\"2.3.1\"";
    line += '}';
}

} // namespace vigil
