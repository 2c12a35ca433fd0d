#include "record/record.h"

#include <array>

namespace vigil {

namespace {
constexpr std::array<std::string_view, kOutcomeCount> kOutcomeNames = {
    "ok", "error", "timeout", "fallback", "refused", "blocked"};
}

std::string_view outcomeName(Outcome outcome)
{
    return kOutcomeNames[static_cast<std::size_t>(outcome)];
}

std::optional<Outcome> outcomeFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kOutcomeNames.size(); ++i) {
        if (kOutcomeNames[i] == name)
            return static_cast<Outcome>(i);
    }
    return std::nullopt;
}

} // namespace vigil
