#pragma once

#include <string>
#include <string_view>

namespace vigil {

// The human text inside a stored JSON value (a record's input, retrieval
// context or action), for the search index and snippets: string values, and
// of objects the values of every key but structural ones (role, type, id, ...).
// A value that is not JSON is returned as it is.
std::string extractText(std::string_view json);

} // namespace vigil
