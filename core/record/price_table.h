#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct ModelPrice
{
    std::string name;
    double inputPerMTok = 0;  // USD per million input tokens
    double outputPerMTok = 0; // USD per million output tokens
    std::vector<std::string> aliases;
};

// The versioned price table (resources/pricing.toml). Matching is by exact name
// or alias first, then by the longest priced name that is a prefix of the model
// followed by a separator (`gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`), and a
// `provider/` prefix is ignored (`openai/gpt-4o`). Case-insensitive.
class PriceTable final
{
public:
    PriceTable() = default;

    // Parses TOML text; on failure returns nothing and sets `error` to
    // "<source>:<line>: <problem>".
    static std::optional<PriceTable> fromToml(std::string_view text, std::string_view sourceName,
                                              std::string &error);
    // The table compiled into the binary from resources/pricing.toml.
    static const PriceTable &builtin();

    const std::string &version() const { return m_version; }
    const std::vector<ModelPrice> &models() const { return m_models; }

    const ModelPrice *find(std::string_view model) const;
    // Cost in USD, or nothing when the model is not priced or no token count is known.
    std::optional<double> cost(std::string_view model, std::optional<long long> inputTokens,
                               std::optional<long long> outputTokens) const;

private:
    std::string m_version;
    std::vector<ModelPrice> m_models; // sorted by name length, longest first
};

} // namespace vigil
