#pragma once
// The QJsonDocument way of turning a line into a Record: the baseline the
// simdjson parser is measured against (tests/bench only, not production).

#include "record/record.h"

#include <string_view>

namespace vigil::bench {

bool parseWithQJson(std::string_view line, Record &out);

} // namespace vigil::bench
