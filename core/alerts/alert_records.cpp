#include "alerts/alert_records.h"

#include <array>

namespace vigil {

namespace {
constexpr std::array<std::string_view, 3> kPhases = {"inactive", "pending", "firing"};
constexpr std::array<std::string_view, 4> kOutboxStatuses = {"pending", "delivered", "rejected", "abandoned"};

template <typename E, std::size_t N>
std::optional<E> fromName(const std::array<std::string_view, N> &names, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name)
            return static_cast<E>(i);
    }
    return std::nullopt;
}
} // namespace

std::string_view alertPhaseName(AlertPhase phase)
{
    return kPhases[static_cast<std::size_t>(phase)];
}

std::optional<AlertPhase> alertPhaseFromName(std::string_view name)
{
    return fromName<AlertPhase>(kPhases, name);
}

std::string_view outboxStatusName(OutboxStatus status)
{
    return kOutboxStatuses[static_cast<std::size_t>(status)];
}

std::optional<OutboxStatus> outboxStatusFromName(std::string_view name)
{
    return fromName<OutboxStatus>(kOutboxStatuses, name);
}

} // namespace vigil
