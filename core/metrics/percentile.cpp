#include "metrics/percentile.h"

#include <algorithm>
#include <cmath>

namespace vigil {

namespace {
std::size_t rankIndex(std::size_t n, double p)
{
    const double rank = std::ceil(p / 100.0 * static_cast<double>(n) - 1e-9);
    const auto r = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(n)));
    return r - 1;
}
} // namespace

std::optional<double> nearestRankPercentile(std::vector<double> &values, double p)
{
    if (values.empty())
        return std::nullopt;
    const std::size_t k = rankIndex(values.size(), p);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

std::vector<std::optional<double>> nearestRankPercentiles(std::vector<double> &values,
                                                          const std::vector<double> &ps)
{
    std::vector<std::optional<double>> out;
    out.reserve(ps.size());
    if (values.empty()) {
        out.resize(ps.size());
        return out;
    }
    std::sort(values.begin(), values.end());
    for (double p : ps)
        out.push_back(values[rankIndex(values.size(), p)]);
    return out;
}

} // namespace vigil
