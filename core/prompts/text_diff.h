#pragma once

#include "prompts/sequence_diff.h"

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {

// One hunk of a line diff, as in a unified diff.
struct DiffHunk
{
    struct Line
    {
        EditOp op = EditOp::Equal;
        std::string text;       // without its '\n' ("\r" of a CRLF line is kept)
        bool noNewline = false; // the file's last line, without a line break
    };
    std::size_t oldStart = 0; // 1-based; for an empty side, the line before (0 at the top)
    std::size_t oldCount = 0;
    std::size_t newStart = 0;
    std::size_t newCount = 0;
    std::vector<Line> lines;
};

struct LineDiff
{
    bool identical = true;
    std::size_t added = 0;   // lines
    std::size_t removed = 0; // lines
    std::vector<DiffHunk> hunks;
};

// A piece of the word-level diff.
struct WordSpan
{
    EditOp op = EditOp::Equal;
    std::string text;
};

// One row of a side-by-side view. Highlight ranges are byte offsets into
// oldText/newText and always fall on UTF-8 character boundaries.
struct SideBySideRow
{
    enum class Kind { Same, Changed, Removed, Added };
    Kind kind = Kind::Same;
    std::size_t oldLine = 0; // 1-based; 0 when the row has no old line
    std::size_t newLine = 0; // 1-based; 0 when the row has no new line
    std::string oldText;     // without the line break
    std::string newText;
    std::vector<std::pair<std::size_t, std::size_t>> oldHighlights;
    std::vector<std::pair<std::size_t, std::size_t>> newHighlights;
    bool lineEndingChanged = false; // e.g. CRLF -> LF on an otherwise equal line
};

// The diff engine: line-level (unified) and word-level diffs of two texts,
// and the side-by-side rows the Prompts page shows. A plain class for worker
// threads: every call checks the cancel flag and returns nothing once it is
// set. Texts are bytes (UTF-8 expected); nothing is normalised, so CRLF
// against LF and a missing final newline show as changes.
class TextDiffer final
{
public:
    explicit TextDiffer(const std::atomic<bool> *cancel = nullptr) : m_cancel(cancel) {}

    void setContextLines(std::size_t lines) { m_context = lines; }

    std::optional<LineDiff> diffLines(std::string_view oldText, std::string_view newText) const;
    // A unified diff ("--- a", "+++ b", "@@ -l,s +l,s @@" hunks); empty when identical.
    std::optional<std::string> unified(std::string_view oldText, std::string_view newText,
                                       const std::string &oldLabel, const std::string &newLabel) const;
    // The whole texts as equal, deleted and inserted word spans (deletions
    // before insertions within a change).
    std::optional<std::vector<WordSpan>> diffWords(std::string_view oldText, std::string_view newText) const;
    // Hunks like unified(), each body a word diff marked [-deleted-]{+inserted+}.
    std::optional<std::string> wordDiff(std::string_view oldText, std::string_view newText,
                                        const std::string &oldLabel, const std::string &newLabel) const;
    // Every line of both texts paired up, with word-level highlights on changed lines.
    std::optional<std::vector<SideBySideRow>> sideBySide(std::string_view oldText, std::string_view newText) const;

private:
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    const std::atomic<bool> *m_cancel;
    std::size_t m_context = 3;
};

} // namespace vigil
