#include "metrics/time_window.h"

#include "record/timestamp.h"

#include <chrono>

namespace vigil {

std::optional<std::int64_t> parseDurationMs(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    std::int64_t total = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t value = 0;
        const std::size_t digitsStart = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            value = value * 10 + (text[pos] - '0');
            if (value > 1'000'000'000'000LL)
                return std::nullopt;
            ++pos;
        }
        if (pos == digitsStart)
            return std::nullopt;
        std::int64_t unit = 0;
        if (text.substr(pos, 2) == "ms") {
            unit = 1;
            pos += 2;
        } else if (pos < text.size()) {
            switch (text[pos]) {
            case 's': unit = 1000; break;
            case 'm': unit = 60'000; break;
            case 'h': unit = 3'600'000; break;
            case 'd': unit = 86'400'000; break;
            case 'w': unit = 7 * 86'400'000LL; break;
            default: return std::nullopt;
            }
            ++pos;
        } else {
            return std::nullopt; // a bare number is ambiguous
        }
        total += value * unit;
    }
    if (total <= 0)
        return std::nullopt;
    return total;
}

std::optional<std::int64_t> parseTimePointMs(std::string_view text, std::int64_t nowMs)
{
    if (text == "now")
        return nowMs;
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos &&
        text.size() <= 15) {
        std::int64_t v = 0;
        for (char c : text)
            v = v * 10 + (c - '0');
        return v;
    }
    return parseRfc3339Ms(text);
}

std::int64_t currentTimeMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace vigil
