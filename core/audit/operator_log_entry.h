#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

// A state change made through Vigil: what, from and to, and why. Actions
// are dotted names: "ingest.run", "retention.purge", "retention.hold",
// "config.change", "cap.change", "alert.acknowledge", "alert.silence",
// "prompt.activate", "prompt.rollback".
struct OperatorAction
{
    std::string action;
    std::string subject;
    std::optional<std::string> fromValue;
    std::optional<std::string> toValue;
    std::optional<std::string> reason;
    std::optional<std::string> details; // JSON
};

struct OperatorLogEntry
{
    std::int64_t id = 0;
    std::int64_t at = 0; // epoch ms
    std::string actor;   // OS user
    std::string host;
    OperatorAction action;
};

} // namespace vigil
