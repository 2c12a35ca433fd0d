#include "metrics/latency_sketch.h"
#include "metrics/percentile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace vigil;

namespace {

// The brute-force reference: sort and take rank ceil(p/100 * N).
double referencePercentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    rank = std::clamp<std::size_t>(rank, 1, values.size());
    return values[rank - 1];
}

std::vector<double> sample(const std::string &kind, std::size_t n, std::mt19937_64 &rng)
{
    std::vector<double> v(n);
    std::lognormal_distribution<double> lognormal(6.5, 1.2);
    std::exponential_distribution<double> exponential(0.002);
    std::uniform_real_distribution<double> uniform(0.01, 60000);
    for (auto &x : v) {
        if (kind == "lognormal")
            x = lognormal(rng);
        else if (kind == "exponential")
            x = exponential(rng);
        else if (kind == "uniform")
            x = uniform(rng);
        else if (kind == "pareto") // heavy tail: most fast, a few enormous
            x = 5.0 / std::pow(1.0 - std::uniform_real_distribution<double>(0, 0.999999)(rng), 1.5);
        else if (kind == "bimodal")
            x = rng() % 10 == 0 ? 30000 + uniform(rng) / 100 : lognormal(rng) / 10;
        else // "ties": few distinct values
            x = static_cast<double>(50 * (1 + rng() % 5));
    }
    return v;
}

} // namespace

TEST(Percentile, NearestRankMatchesBruteForceOnRandomData)
{
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n = 1 + rng() % 2000;
        std::vector<double> values = sample(trial % 2 ? "lognormal" : "ties", n, rng);
        for (double p : {0.0, 1.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0}) {
            std::vector<double> copy = values;
            EXPECT_EQ(nearestRankPercentile(copy, p), referencePercentile(values, p)) << n << " p" << p;
        }
        std::vector<double> copy = values;
        const auto several = nearestRankPercentiles(copy, {50, 95, 99});
        EXPECT_EQ(several[1], referencePercentile(values, 95));
    }
}

TEST(Percentile, KnownSmallCases)
{
    std::vector<double> v{15, 20, 35, 40, 50};
    EXPECT_EQ(nearestRankPercentile(v, 30), 20);  // rank ceil(1.5) = 2
    EXPECT_EQ(nearestRankPercentile(v, 40), 20);  // rank 2
    EXPECT_EQ(nearestRankPercentile(v, 50), 35);  // rank ceil(2.5) = 3
    EXPECT_EQ(nearestRankPercentile(v, 100), 50);
    std::vector<double> empty;
    EXPECT_FALSE(nearestRankPercentile(empty, 50).has_value());
}

// Property: for skewed distributions, every quantile the sketch answers is
// within 1% of the exact nearest-rank value, also after merging parts.
TEST(LatencySketch, RelativeErrorBoundHoldsOnSkewedDistributions)
{
    std::mt19937_64 rng(11);
    for (const std::string kind : {"lognormal", "exponential", "uniform", "pareto", "bimodal", "ties"}) {
        for (int trial = 0; trial < 10; ++trial) {
            const std::size_t n = 1 + rng() % 50000;
            const std::vector<double> values = sample(kind, n, rng);
            // Build from several parts and merge, as rollups do.
            std::vector<LatencySketch> parts(1 + rng() % 7);
            for (double x : values)
                parts[rng() % parts.size()].add(x);
            LatencySketch merged;
            for (const auto &part : parts) {
                auto decoded = LatencySketch::decode(part.encode());
                ASSERT_TRUE(decoded.has_value());
                merged.merge(*decoded);
            }
            ASSERT_EQ(merged.count(), n);
            for (double p : {1.0, 10.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 100.0}) {
                const double exact = referencePercentile(values, p);
                const double approx = *merged.quantile(p / 100);
                EXPECT_LE(std::abs(approx - exact), LatencySketch::kRelativeAccuracy * exact * (1 + 1e-9))
                    << kind << " n=" << n << " p" << p << " exact=" << exact << " sketch=" << approx;
            }
        }
    }
}

TEST(LatencySketch, EncodeDecodeRoundTripAndRejectsDamage)
{
    LatencySketch s;
    for (double x : {0.0, 0.5, 1.0, 10.0, 1000.0, 30000.0, 30000.0})
        s.add(x);
    const std::string bytes = s.encode();
    auto back = LatencySketch::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
    EXPECT_FALSE(LatencySketch::decode("").has_value());
    EXPECT_FALSE(LatencySketch::decode(bytes.substr(0, bytes.size() - 1)).has_value());
    std::string wrongVersion = bytes;
    wrongVersion[0] = 9;
    EXPECT_FALSE(LatencySketch::decode(wrongVersion).has_value());
    // A failed mergeEncoded leaves the target untouched.
    LatencySketch target = s;
    EXPECT_FALSE(target.mergeEncoded(bytes.substr(0, 5)));
    EXPECT_EQ(target, s);
}

TEST(LatencySketch, EmptyAndSingleValue)
{
    LatencySketch s;
    EXPECT_FALSE(s.quantile(0.5).has_value());
    s.add(123.456);
    EXPECT_DOUBLE_EQ(*s.quantile(0.5), 123.456); // clamped to the one value
    EXPECT_DOUBLE_EQ(*s.quantile(1.0), 123.456);
}
