// The diff engine: line and word level, on empty and identical texts,
// unicode, CRLF and very long lines; minimal edits on random inputs.
#include "prompts/sequence_diff.h"
#include "prompts/text_diff.h"
#include "prompts/text_tokens.h"

#include <QString>

#include <gtest/gtest.h>

#include <random>

namespace vigil {
namespace {

// The old and new texts rebuilt from word spans.
std::pair<std::string, std::string> rebuild(const std::vector<WordSpan> &spans)
{
    std::string a, b;
    for (const auto &s : spans) {
        if (s.op != EditOp::Insert)
            a += s.text;
        if (s.op != EditOp::Delete)
            b += s.text;
    }
    return {a, b};
}

// Applies a unified diff's hunks to `old`: the new text.
std::string applyHunks(const std::string &old, const LineDiff &diff)
{
    std::vector<std::string> lines;
    for (const TextToken &t : splitLines(old))
        lines.push_back(old.substr(t.begin, t.size()));
    std::string out;
    std::size_t next = 0; // old line index
    for (const DiffHunk &h : diff.hunks) {
        const std::size_t start = h.oldCount ? h.oldStart - 1 : h.oldStart;
        while (next < start)
            out += lines[next++];
        for (const auto &l : h.lines) {
            if (l.op != EditOp::Insert)
                ++next;
            if (l.op != EditOp::Delete)
                out += l.text + (l.noNewline ? "" : "\n");
        }
    }
    while (next < lines.size())
        out += lines[next++];
    return out;
}

bool validUtf8(const std::string &s)
{
    const QString decoded = QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    return !decoded.contains(QChar::ReplacementCharacter) && decoded.toUtf8().toStdString() == s;
}

std::vector<std::string> changedTexts(const std::vector<WordSpan> &spans, EditOp op)
{
    std::vector<std::string> out;
    for (const auto &s : spans) {
        if (s.op == op)
            out.push_back(s.text);
    }
    return out;
}

TEST(Diff, EmptyTexts)
{
    TextDiffer d;
    const auto none = d.diffLines("", "");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->identical);
    EXPECT_TRUE(none->hunks.empty());
    EXPECT_EQ(*d.unified("", "", "a", "b"), "");
    EXPECT_TRUE(d.sideBySide("", "")->empty());
    EXPECT_TRUE(d.diffWords("", "")->empty());

    EXPECT_EQ(*d.unified("", "one\ntwo\n", "a", "b"), "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    EXPECT_EQ(*d.unified("one\ntwo\n", "", "a", "b"), "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-one\n-two\n");
    const auto rows = *d.sideBySide("", "x\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].kind, SideBySideRow::Kind::Added);
    EXPECT_EQ(rows[0].newLine, 1u);
    EXPECT_EQ(rows[0].oldLine, 0u);
}

TEST(Diff, IdenticalTexts)
{
    const std::string text = "line one\nline two\n\nlast line without newline";
    TextDiffer d;
    EXPECT_TRUE(d.diffLines(text, text)->identical);
    EXPECT_EQ(*d.unified(text, text, "a", "b"), "");
    EXPECT_EQ(*d.wordDiff(text, text, "a", "b"), "");
    const auto rows = *d.sideBySide(text, text);
    ASSERT_EQ(rows.size(), 4u);
    for (const auto &r : rows) {
        EXPECT_EQ(r.kind, SideBySideRow::Kind::Same);
        EXPECT_EQ(r.oldText, r.newText);
    }
    EXPECT_EQ(rows[3].oldText, "last line without newline");
    const auto words = *d.diffWords(text, text);
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0].op, EditOp::Equal);
    EXPECT_EQ(words[0].text, text);
}

TEST(Diff, UnifiedHunksWithContext)
{
    std::string a, b;
    for (int i = 1; i <= 20; ++i) {
        a += "line " + std::to_string(i) + "\n";
        b += i == 3 ? "line three\n" : i == 17 ? "" : "line " + std::to_string(i) + "\n";
    }
    TextDiffer d;
    const std::string expected = "--- a\n+++ b\n"
                                 "@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+line three\n line 4\n line 5\n line 6\n"
                                 "@@ -14,7 +14,6 @@\n line 14\n line 15\n line 16\n-line 17\n line 18\n line 19\n line 20\n";
    EXPECT_EQ(*d.unified(a, b, "a", "b"), expected);
    d.setContextLines(10); // the two changes merge into one hunk
    EXPECT_EQ(d.diffLines(a, b)->hunks.size(), 1u);
}

TEST(Diff, MissingFinalNewlineIsAChange)
{
    TextDiffer d;
    EXPECT_EQ(*d.unified("a\nb", "a\nb\n", "x", "y"),
              "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

TEST(Diff, UnicodeWordsAreNeverCut)
{
    TextDiffer d;
    const std::string a = "Grüße aus Köln 👋 — café\n";
    const std::string b = "Grüße aus München 👋 — café\n";
    const auto spans = *d.diffWords(a, b);
    EXPECT_EQ(changedTexts(spans, EditOp::Delete), std::vector<std::string>{"Köln"});
    EXPECT_EQ(changedTexts(spans, EditOp::Insert), std::vector<std::string>{"München"});
    EXPECT_EQ(rebuild(spans), std::make_pair(a, b));

    // Combining accent, emoji with skin tone and a ZWJ sequence stay whole.
    const std::string c = "cafe\xCC\x81 👍🏽 👩‍💻 ok\n"; // e + U+0301
    const std::string e = "cafe\xCC\x80 👍🏿 👩‍🔬 ok\n"; // e + U+0300
    const auto s2 = *d.diffWords(c, e);
    for (const auto &s : s2)
        EXPECT_TRUE(validUtf8(s.text)) << s.text;
    EXPECT_EQ(changedTexts(s2, EditOp::Delete), (std::vector<std::string>{"cafe\xCC\x81", "👍🏽", "👩‍💻"}));
    EXPECT_EQ(changedTexts(s2, EditOp::Insert), (std::vector<std::string>{"cafe\xCC\x80", "👍🏿", "👩‍🔬"}));
    EXPECT_EQ(rebuild(s2), std::make_pair(c, e));

    // CJK: one token per ideograph, so one changed character is one change.
    const auto s3 = *d.diffWords("日本語のテキストです", "日本語の文章です");
    EXPECT_EQ(changedTexts(s3, EditOp::Delete), std::vector<std::string>{"テキスト"});
    EXPECT_EQ(changedTexts(s3, EditOp::Insert), std::vector<std::string>{"文章"});

    // Side-by-side highlights fall on character boundaries.
    const auto rows = *d.sideBySide(a, b);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].kind, SideBySideRow::Kind::Changed);
    ASSERT_EQ(rows[0].oldHighlights.size(), 1u);
    const auto [from, to] = rows[0].oldHighlights[0];
    EXPECT_EQ(rows[0].oldText.substr(from, to - from), "Köln");
    EXPECT_EQ(rows[0].newText.substr(rows[0].newHighlights[0].first,
                                     rows[0].newHighlights[0].second - rows[0].newHighlights[0].first),
              "München");

    // Invalid UTF-8 bytes are tokens of their own, never glued to a neighbour.
    const auto s4 = *d.diffWords("ab\xFF" "cd", "ab\xFE" "cd");
    EXPECT_EQ(changedTexts(s4, EditOp::Delete), std::vector<std::string>{"\xFF"});
    EXPECT_EQ(rebuild(s4), std::make_pair(std::string("ab\xFF" "cd"), std::string("ab\xFE" "cd")));
}

TEST(Diff, CrlfFiles)
{
    const std::string a = "one\r\ntwo\r\nthree\r\n";
    const std::string b = "one\r\n2\r\nthree\r\n";
    TextDiffer d;
    const auto diff = *d.diffLines(a, b);
    EXPECT_EQ(diff.added, 1u);
    EXPECT_EQ(diff.removed, 1u);
    EXPECT_EQ(*d.unified(a, b, "a", "b"), "--- a\n+++ b\n@@ -1,3 +1,3 @@\n one\r\n-two\r\n+2\r\n three\r\n");
    EXPECT_EQ(applyHunks(a, diff), b);
    const auto rows = *d.sideBySide(a, b);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].oldText, "one"); // no \r in the displayed text
    EXPECT_EQ(rows[1].kind, SideBySideRow::Kind::Changed);
    EXPECT_EQ(rows[1].oldHighlights, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}}));

    // CRLF -> LF: every line changed, but only its ending.
    const std::string lf = "one\ntwo\nthree\n";
    EXPECT_EQ(d.diffLines(a, lf)->removed, 3u);
    const auto eol = *d.sideBySide(a, lf);
    ASSERT_EQ(eol.size(), 3u);
    for (const auto &r : eol) {
        EXPECT_EQ(r.kind, SideBySideRow::Kind::Changed);
        EXPECT_TRUE(r.lineEndingChanged);
        EXPECT_TRUE(r.oldHighlights.empty());
        EXPECT_EQ(r.oldText, r.newText);
    }
    const auto words = *d.diffWords(a, lf);
    EXPECT_EQ(changedTexts(words, EditOp::Delete), (std::vector<std::string>{"\r\n", "\r\n", "\r\n"}));
}

TEST(Diff, VeryLongLines)
{
    std::string a;
    std::mt19937 rng(7);
    while (a.size() < 2'000'000)
        a += "word" + std::to_string(rng() % 100000) + ' ';
    std::string b = a;
    const std::size_t middle = b.find(' ', b.size() / 2) + 1;
    const std::size_t end = b.find(' ', middle);
    const std::string replaced = b.substr(middle, end - middle);
    b.replace(middle, end - middle, "CHANGED");
    TextDiffer d;
    const auto lines = *d.diffLines(a, b);
    EXPECT_EQ(lines.added, 1u);
    EXPECT_EQ(lines.removed, 1u);
    const auto spans = *d.diffWords(a, b);
    EXPECT_EQ(changedTexts(spans, EditOp::Delete), std::vector<std::string>{replaced});
    EXPECT_EQ(changedTexts(spans, EditOp::Insert), std::vector<std::string>{"CHANGED"});
    const auto rows = *d.sideBySide(a + "\n", b + "\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].oldHighlights, (std::vector<std::pair<std::size_t, std::size_t>>{{middle, end}}));

    // Two long lines with nothing in common: bounded work, still a correct diff.
    std::string x, y;
    while (x.size() < 400'000) {
        x += "a" + std::to_string(rng()) + ' ';
        y += "b" + std::to_string(rng()) + ' ';
    }
    const auto wholly = *d.diffWords(x, y);
    EXPECT_EQ(rebuild(wholly), std::make_pair(x, y));
}

TEST(Diff, CancelledBeforeStartReturnsNothing)
{
    std::atomic<bool> cancel{true};
    TextDiffer d(&cancel);
    std::string x, y;
    for (int i = 0; i < 20000; ++i) {
        x += std::to_string(i * 7) + '\n';
        y += std::to_string(i * 11) + '\n';
    }
    EXPECT_FALSE(d.diffLines(x, y));
    EXPECT_FALSE(d.sideBySide(x, y));
    EXPECT_FALSE(d.unified(x, y, "a", "b"));
}

// Length of the longest common subsequence, the brute-force way.
std::size_t lcs(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j)
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t[a.size()][b.size()];
}

TEST(Diff, RandomSequencesGetAMinimalCorrectScript)
{
    std::mt19937 rng(12345);
    for (int round = 0; round < 400; ++round) {
        std::vector<std::uint32_t> a(rng() % 40), b(rng() % 40);
        const std::uint32_t alphabet = 1 + rng() % 6;
        for (auto &v : a)
            v = rng() % alphabet;
        for (auto &v : b)
            v = rng() % alphabet;
        std::vector<EditRun> runs;
        ASSERT_TRUE(diffSequences(a, b, runs));
        std::vector<std::uint32_t> ra, rb;
        std::size_t equal = 0, ia = 0, ib = 0;
        for (const EditRun &r : runs) {
            for (std::size_t k = 0; k < r.length; ++k) {
                if (r.op == EditOp::Equal) {
                    ASSERT_EQ(a[r.aBegin + k], b[r.bBegin + k]);
                    ++equal;
                }
                if (r.op != EditOp::Insert) {
                    ASSERT_EQ(r.aBegin + k, ia++);
                    ra.push_back(a[r.aBegin + k]);
                }
                if (r.op != EditOp::Delete) {
                    ASSERT_EQ(r.bBegin + k, ib++);
                    rb.push_back(b[r.bBegin + k]);
                }
            }
        }
        ASSERT_EQ(ra, a);
        ASSERT_EQ(rb, b);
        ASSERT_EQ(equal, lcs(a, b)) << "round " << round;
    }
}

TEST(Diff, RandomTextsRoundTrip)
{
    std::mt19937 rng(99);
    const std::vector<std::string> pieces = {"alpha", "beta", " ", "\n", "\r\n", "é", "日本", "👍🏽", ",", "gamma\n"};
    TextDiffer d;
    for (int round = 0; round < 200; ++round) {
        std::string a, b;
        for (int i = 0, n = static_cast<int>(rng() % 60); i < n; ++i)
            a += pieces[rng() % pieces.size()];
        for (int i = 0, n = static_cast<int>(rng() % 60); i < n; ++i)
            b += pieces[rng() % pieces.size()];
        EXPECT_EQ(rebuild(*d.diffWords(a, b)), std::make_pair(a, b));
        EXPECT_EQ(applyHunks(a, *d.diffLines(a, b)), b) << "round " << round;
        const auto rows = *d.sideBySide(a, b);
        for (const auto &row : rows) {
            for (const auto &[from, to] : row.oldHighlights)
                EXPECT_TRUE(validUtf8(row.oldText.substr(from, to - from)));
        }
    }
}

} // namespace
} // namespace vigil
