#include "record/timestamp.h"
#include "metrics/time_window.h"

#include <gtest/gtest.h>

using namespace vigil;

TEST(Timestamp, ParsesUtcWithMilliseconds)
{
    EXPECT_EQ(parseRfc3339Ms("2026-11-27T02:13:04.123Z"), 1795745584123);
    EXPECT_EQ(parseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
}

TEST(Timestamp, AppliesAnyOffset)
{
    const auto utc = parseRfc3339Ms("2026-11-27T02:13:04.123Z");
    EXPECT_EQ(parseRfc3339Ms("2026-11-27T04:13:04.123+02:00"), utc);
    EXPECT_EQ(parseRfc3339Ms("2026-11-26T21:43:04.123-04:30"), utc);
    EXPECT_EQ(parseRfc3339Ms("2026-11-27T02:13:04.123+00:00"), utc);
}

TEST(Timestamp, AcceptsLowercaseSpaceAndLongFractions)
{
    const auto utc = parseRfc3339Ms("2026-11-27T02:13:04.123Z");
    EXPECT_EQ(parseRfc3339Ms("2026-11-27t02:13:04.123z"), utc);
    EXPECT_EQ(parseRfc3339Ms("2026-11-27 02:13:04.123Z"), utc);
    EXPECT_EQ(parseRfc3339Ms("2026-11-27T02:13:04.123456789Z"), utc); // truncated to ms
    EXPECT_EQ(parseRfc3339Ms("2026-11-27T02:13:04.1Z"), *utc - 23);
}

TEST(Timestamp, RejectsInvalidTimes)
{
    for (const char *bad : {"", "2026-11-27", "2026-11-27T02:13:04", "2026-13-01T00:00:00Z",
                            "2026-02-29T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T02:60:00Z",
                            "2026-11-27T02:13:04.Z", "2026-11-27T02:13:04+2:00",
                            "2026-11-27T02:13:04Zjunk", "27/11/2026 02:13", "1795745584123"})
        EXPECT_FALSE(parseRfc3339Ms(bad).has_value()) << bad;
    EXPECT_TRUE(parseRfc3339Ms("2024-02-29T00:00:00Z").has_value()); // leap year
}

TEST(Timestamp, FormatRoundTrips)
{
    for (long long ms : {0LL, 1795745584123LL, 951782400000LL, 253402300799999LL}) {
        const std::string text = formatRfc3339Ms(ms);
        EXPECT_EQ(parseRfc3339Ms(text), ms) << text;
    }
    EXPECT_EQ(formatRfc3339Ms(1795745584123), "2026-11-27T02:13:04.123Z");
}

TEST(TimeWindow, ParsesDurations)
{
    EXPECT_EQ(parseDurationMs("15m"), 15 * 60'000);
    EXPECT_EQ(parseDurationMs("1h"), 3'600'000);
    EXPECT_EQ(parseDurationMs("7d"), 7 * 86'400'000LL);
    EXPECT_EQ(parseDurationMs("1h30m"), 90 * 60'000);
    EXPECT_EQ(parseDurationMs("500ms"), 500);
    for (const char *bad : {"", "h", "15", "15x", "-1h", "0m", "1.5h"})
        EXPECT_FALSE(parseDurationMs(bad).has_value()) << bad;
}

TEST(TimeWindow, ParsesTimePoints)
{
    EXPECT_EQ(parseTimePointMs("now", 42), 42);
    EXPECT_EQ(parseTimePointMs("1795745584123", 0), 1795745584123);
    EXPECT_EQ(parseTimePointMs("2026-11-27T02:13:04.123Z", 0), 1795745584123);
    EXPECT_FALSE(parseTimePointMs("yesterday", 0).has_value());
}
