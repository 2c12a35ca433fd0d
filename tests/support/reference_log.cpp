#include "reference_log.h"

#include "record/price_table.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace vigil::test {

namespace {

bool isValidUtf8(const std::string &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));
    return !decoder.hasError();
}

bool isBlank(const std::string &line)
{
    return line.find_first_not_of(" \t\r\f\v") == std::string::npos;
}

std::optional<std::int64_t> readTs(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != std::floor(d) || std::fabs(d) > 1e15)
            return std::nullopt;
        return static_cast<std::int64_t>(d);
    }
    if (!v.isString() || !v.toString().contains(QLatin1Char('T')))
        return std::nullopt;
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toMSecsSinceEpoch();
}

// An optional string field: absent is fine, anything but a string is not.
bool readOptionalString(const QJsonObject &o, const char *key, std::string &out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (!v.isString())
        return false;
    out = v.toString().toStdString();
    return true;
}

bool readOptionalCount(const QJsonObject &o, const char *key, std::optional<std::int64_t> &out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (d < 0 || d != std::floor(d) || d > 9e15)
        return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

} // namespace

std::optional<ReferenceRecord> referenceRecord(const std::string &line, const PriceTable &prices)
{
    if (!isValidUtf8(line))
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    ReferenceRecord r;

    const auto ts = readTs(o.value(QLatin1String("ts")));
    if (!ts)
        return std::nullopt;
    r.tsMs = *ts;
    const QJsonValue id = o.value(QLatin1String("request_id"));
    if (!id.isString())
        return std::nullopt;
    const auto idLength = id.toString().toUcs4().size();
    if (idLength < 1 || idLength > 128)
        return std::nullopt;
    r.requestId = id.toString().toStdString();
    for (const auto &[key, field] : {std::pair{"tenant", &r.tenant}, std::pair{"model", &r.model}}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString() || v.toString().isEmpty())
            return std::nullopt;
        *field = v.toString().toStdString();
    }
    const QJsonValue latency = o.value(QLatin1String("latency_ms"));
    if (!latency.isDouble() || latency.toDouble() < 0)
        return std::nullopt;
    r.latencyMs = latency.toDouble();
    const QJsonValue outcome = o.value(QLatin1String("outcome"));
    static const std::set<std::string> outcomes = {"ok", "error", "timeout", "fallback", "refused", "blocked"};
    if (!outcome.isString() || !outcomes.contains(outcome.toString().toStdString()))
        return std::nullopt;
    r.outcome = outcome.toString().toStdString();

    if (!readOptionalString(o, "provider", r.provider) ||
        !readOptionalString(o, "prompt_name", r.promptName) ||
        !readOptionalString(o, "prompt_version", r.promptVersion) ||
        !readOptionalString(o, "error_type", r.errorType) ||
        !readOptionalCount(o, "input_tokens", r.inputTokens) ||
        !readOptionalCount(o, "output_tokens", r.outputTokens) ||
        !readOptionalCount(o, "retrieval_hits", r.retrievalHits))
        return std::nullopt;
    const QJsonValue cost = o.value(QLatin1String("cost_usd"));
    if (!cost.isUndefined()) {
        if (!cost.isDouble() || cost.toDouble() < 0)
            return std::nullopt;
        r.costUsd = cost.toDouble();
    } else if (auto computed = prices.cost(r.model, r.inputTokens, r.outputTokens)) {
        r.costUsd = computed;
        r.costComputed = true;
    }
    return r;
}

namespace {

class Reader
{
public:
    explicit Reader(const PriceTable &prices) : m_prices(prices) {}

    void line(std::string text)
    {
        if (m_log.lines == 0 && text.starts_with("\xEF\xBB\xBF"))
            text.erase(0, 3);
        ++m_log.lines;
        if (!text.empty() && text.back() == '\r')
            text.pop_back();
        if (isBlank(text)) {
            ++m_log.blank;
            return;
        }
        auto record = referenceRecord(text, m_prices);
        if (!record) {
            ++m_log.invalid;
            m_log.invalidLines.push_back(m_log.lines);
            return;
        }
        if (!m_seen.insert(record->requestId).second) {
            ++m_log.duplicates;
            return;
        }
        m_log.records.push_back(std::move(*record));
    }

    ReferenceLog take() { return std::move(m_log); }

private:
    const PriceTable &m_prices;
    ReferenceLog m_log;
    std::set<std::string> m_seen;
};

ReferenceLog readLines(std::istream &in, const PriceTable &prices)
{
    Reader reader(prices);
    std::string text;
    while (std::getline(in, text)) {
        // getline drops the '\n'; a last line without one still counts.
        reader.line(std::move(text));
        text.clear();
    }
    return reader.take();
}

} // namespace

ReferenceLog readReferenceLog(const std::string &path, const PriceTable &prices)
{
    std::ifstream in(path, std::ios::binary);
    return readLines(in, prices);
}

ReferenceLog referenceFromText(const std::string &text, const PriceTable &prices)
{
    std::istringstream in(text);
    return readLines(in, prices);
}

} // namespace vigil::test
