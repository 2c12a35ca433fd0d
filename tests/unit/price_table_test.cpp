#include "record/price_table.h"

#include <gtest/gtest.h>

using namespace vigil;

namespace {
const char *kTable = R"(
version = "test-1"
[models."gpt-4o"]
input_per_mtok = 2.5
output_per_mtok = 10
[models."gpt-4o-mini"]
input_per_mtok = 0.15
output_per_mtok = 0.6
aliases = ["mini-alias"]
)";

PriceTable table()
{
    std::string error;
    auto t = PriceTable::fromToml(kTable, "test.toml", error);
    EXPECT_TRUE(t) << error;
    return *t;
}
} // namespace

TEST(PriceTable, MatchesExactAliasAndLongestPrefix)
{
    const PriceTable t = table();
    EXPECT_EQ(t.version(), "test-1");
    ASSERT_NE(t.find("gpt-4o"), nullptr);
    EXPECT_EQ(t.find("gpt-4o")->name, "gpt-4o");
    EXPECT_EQ(t.find("mini-alias")->name, "gpt-4o-mini");
    // A dated snapshot matches the longest priced prefix, not gpt-4o.
    EXPECT_EQ(t.find("gpt-4o-mini-2024-07-18")->name, "gpt-4o-mini");
    EXPECT_EQ(t.find("gpt-4o-2024-08-06")->name, "gpt-4o");
    EXPECT_EQ(t.find("GPT-4o-Mini")->name, "gpt-4o-mini");
    EXPECT_EQ(t.find("openai/gpt-4o-mini")->name, "gpt-4o-mini");
    // A prefix must end at a separator: gpt-4o2 is another model.
    EXPECT_EQ(t.find("gpt-4o2"), nullptr);
    EXPECT_EQ(t.find("claude-3"), nullptr);
}

TEST(PriceTable, ComputesCostPerMillionTokens)
{
    const PriceTable t = table();
    EXPECT_DOUBLE_EQ(*t.cost("gpt-4o-mini-2024-07-18", 1000, 500), (1000 * 0.15 + 500 * 0.6) / 1e6);
    EXPECT_DOUBLE_EQ(*t.cost("gpt-4o", 1'000'000, std::nullopt), 2.5);
    EXPECT_FALSE(t.cost("gpt-4o", std::nullopt, std::nullopt).has_value());
    EXPECT_FALSE(t.cost("unknown-model", 10, 10).has_value());
}

TEST(PriceTable, ReportsMistakesWithLine)
{
    std::string error;
    EXPECT_FALSE(PriceTable::fromToml("version = \"x\"\n[models.\"a\"]\ninput_per_mtok = \"cheap\"\n",
                                      "p.toml", error));
    EXPECT_NE(error.find("p.toml:2"), std::string::npos) << error;
    EXPECT_FALSE(PriceTable::fromToml("version = [\n", "q.toml", error));
    EXPECT_NE(error.find("q.toml:"), std::string::npos) << error;
    EXPECT_FALSE(PriceTable::fromToml("[models]\n", "r.toml", error));
    EXPECT_NE(error.find("version"), std::string::npos) << error;
}

TEST(PriceTable, BuiltinTableLoads)
{
    const PriceTable &t = PriceTable::builtin();
    EXPECT_FALSE(t.version().empty());
    EXPECT_NE(t.find("gpt-4o-mini-2024-07-18"), nullptr);
    EXPECT_NE(t.find("claude-3-5-sonnet-20241022"), nullptr);
    EXPECT_NE(t.find("meta-llama/Llama-3.1-70B-Instruct"), nullptr);
}
