#pragma once
// How the Audit page writes a call's fields.

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::ui {

QString formatCallTime(std::int64_t epochMs);                   // local "Nov 27 14:05:09.123"
QString formatPrompt(const std::string &name, const std::string &version); // "summarize@3f9c2ab", "" without a prompt
QString formatTokens(std::optional<std::int64_t> in, std::optional<std::int64_t> out); // "1,234 → 210"
QString plainSnippet(const QString &marked); // the snippet without its match marks, on one line

} // namespace vigil::ui
