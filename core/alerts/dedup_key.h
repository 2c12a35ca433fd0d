#pragma once

#include <string>

namespace vigil {

// "vigil/<instance>/<rule>/<group>": stable for a rule and group across
// episodes and restarts, at most 255 characters (PagerDuty's limit; longer
// keys keep a prefix and a hash of the whole).
std::string alertDedupKey(const std::string &instance, const std::string &rule, const std::string &group);

inline constexpr std::size_t kMaxDedupKeyLength = 255;

} // namespace vigil
