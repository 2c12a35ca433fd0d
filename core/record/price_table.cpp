#include "record/price_table.h"

#include <QFile>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <toml++/toml.h>

namespace vigil {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool isSeparator(char c)
{
    return c == '-' || c == ':' || c == '@' || c == '.' || c == '_';
}

std::string where(std::string_view sourceName, const toml::source_region &region)
{
    std::ostringstream s;
    s << sourceName << ':' << region.begin.line;
    return s.str();
}

} // namespace

std::optional<PriceTable> PriceTable::fromToml(std::string_view text, std::string_view sourceName,
                                               std::string &error)
{
    toml::table root;
    try {
        root = toml::parse(text, sourceName);
    } catch (const toml::parse_error &e) {
        std::ostringstream s;
        s << sourceName << ':' << e.source().begin.line << ": " << e.description();
        error = s.str();
        return std::nullopt;
    }
    PriceTable table;
    if (auto version = root["version"].value<std::string>()) {
        table.m_version = *version;
    } else {
        error = std::string(sourceName) + ":1: the price table needs a `version` string";
        return std::nullopt;
    }
    const toml::table *models = root["models"].as_table();
    if (!models) {
        error = std::string(sourceName) + ":1: the price table needs a [models] table";
        return std::nullopt;
    }
    for (const auto &[key, node] : *models) {
        const toml::table *entry = node.as_table();
        if (!entry) {
            error = where(sourceName, node.source()) + ": models." + std::string(key.str()) +
                    " must be a table";
            return std::nullopt;
        }
        ModelPrice price;
        price.name = lower(key.str());
        const auto in = (*entry)["input_per_mtok"].value<double>();
        const auto out = (*entry)["output_per_mtok"].value<double>();
        if (!in || !out || *in < 0 || *out < 0) {
            error = where(sourceName, entry->source()) + ": models." + std::string(key.str()) +
                    " needs input_per_mtok and output_per_mtok as numbers >= 0";
            return std::nullopt;
        }
        price.inputPerMTok = *in;
        price.outputPerMTok = *out;
        if (const toml::array *aliases = (*entry)["aliases"].as_array()) {
            for (const auto &alias : *aliases) {
                if (auto a = alias.value<std::string>())
                    price.aliases.push_back(lower(*a));
            }
        }
        table.m_models.push_back(std::move(price));
    }
    std::stable_sort(table.m_models.begin(), table.m_models.end(),
                     [](const ModelPrice &a, const ModelPrice &b) {
                         return a.name.size() > b.name.size();
                     });
    return table;
}

const PriceTable &PriceTable::builtin()
{
    static const PriceTable table = [] {
        QFile file(QStringLiteral(":/vigil/pricing.toml"));
        std::string error;
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray text = file.readAll();
            if (auto parsed = fromToml(std::string_view(text.constData(), text.size()),
                                       "pricing.toml", error))
                return *parsed;
        }
        return PriceTable();
    }();
    return table;
}

const ModelPrice *PriceTable::find(std::string_view model) const
{
    std::string name = lower(model);
    if (const auto slash = name.rfind('/'); slash != std::string::npos)
        name.erase(0, slash + 1);
    for (const ModelPrice &price : m_models) {
        if (price.name == name ||
            std::find(price.aliases.begin(), price.aliases.end(), name) != price.aliases.end())
            return &price;
    }
    for (const ModelPrice &price : m_models) { // longest first
        if (name.size() > price.name.size() && name.compare(0, price.name.size(), price.name) == 0 &&
            isSeparator(name[price.name.size()]))
            return &price;
    }
    return nullptr;
}

std::optional<double> PriceTable::cost(std::string_view model, std::optional<long long> inputTokens,
                                       std::optional<long long> outputTokens) const
{
    if (!inputTokens && !outputTokens)
        return std::nullopt;
    const ModelPrice *price = find(model);
    if (!price)
        return std::nullopt;
    return (static_cast<double>(inputTokens.value_or(0)) * price->inputPerMTok +
            static_cast<double>(outputTokens.value_or(0)) * price->outputPerMTok) /
           1e6;
}

} // namespace vigil
