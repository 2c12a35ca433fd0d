#pragma once
// A small price table for the fuzz targets, so costs are computed (and that
// code fuzzed) without the Qt resource the built-in table is compiled into.
#include "record/price_table.h"

#include <cstdlib>
#include <string>

namespace vigil::fuzz {

inline const PriceTable &prices()
{
    static const PriceTable table = [] {
        std::string error;
        auto parsed = PriceTable::fromToml(R"(version = "fuzz"
[models."gpt-4o-mini"]
input_per_mtok = 0.15
output_per_mtok = 0.60
aliases = ["gpt-4o-mini-2024-07-18"]
[models."gpt-4o"]
input_per_mtok = 2.50
output_per_mtok = 10.00
[models."claude-3-5-sonnet"]
input_per_mtok = 3.00
output_per_mtok = 15.00
)",
                                           "fuzz", error);
        if (!parsed)
            std::abort();
        return *parsed;
    }();
    return table;
}

} // namespace vigil::fuzz
