#pragma once

#include <optional>
#include <vector>

namespace vigil {

// Exact nearest-rank percentile: the value at rank ceil(p/100 * N) of the
// ascending values (rank at least 1). `values` is reordered, not sorted.
std::optional<double> nearestRankPercentile(std::vector<double> &values, double p);

// Several percentiles at once (sorts `values`).
std::vector<std::optional<double>> nearestRankPercentiles(std::vector<double> &values,
                                                          const std::vector<double> &ps);

} // namespace vigil
