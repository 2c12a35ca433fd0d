#pragma once

#include <string>

namespace vigil {

// Why an input line or span was not stored. `reason` is a stable code used for
// counting (`invalid_json`, `invalid_utf8`, `not_an_object`, `missing_field`,
// `wrong_type`, `invalid_value`, `line_too_long`); `detail` names the field and
// the problem for the person reading the quarantine.
struct ParseError
{
    std::string reason;
    std::string detail;

    std::string message() const { return detail.empty() ? reason : reason + ": " + detail; }
};

} // namespace vigil
