#include "prompts/text_diff.h"

#include "prompts/text_tokens.h"

#include <algorithm>
#include <unordered_map>

namespace vigil {

namespace {

// Maps equal token texts to equal ids, so the sequence diff compares integers.
class Interner
{
public:
    std::vector<std::uint32_t> ids(std::string_view text, const std::vector<TextToken> &tokens)
    {
        std::vector<std::uint32_t> out;
        out.reserve(tokens.size());
        for (const TextToken &t : tokens) {
            const auto [it, inserted] =
                m_ids.emplace(text.substr(t.begin, t.size()), static_cast<std::uint32_t>(m_ids.size()));
            out.push_back(it->second);
        }
        return out;
    }

private:
    std::unordered_map<std::string_view, std::uint32_t> m_ids;
};

struct TokenDiff
{
    std::vector<TextToken> oldTokens, newTokens;
    std::vector<EditRun> runs;
};

bool diffTokens(std::string_view a, std::string_view b, bool words, const std::atomic<bool> *cancel, TokenDiff &out)
{
    out.oldTokens = words ? splitWords(a) : splitLines(a);
    out.newTokens = words ? splitWords(b) : splitLines(b);
    Interner interner;
    const auto ia = interner.ids(a, out.oldTokens);
    const auto ib = interner.ids(b, out.newTokens);
    return diffSequences(ia, ib, out.runs, cancel);
}

// One line-level operation with its position on both sides: for Equal both
// are line indexes; for Delete `a` is the old line and `b` the count of new
// lines before it; for Insert the other way round.
struct LineOp
{
    EditOp op;
    std::size_t a;
    std::size_t b;
};

std::vector<LineOp> flatten(const std::vector<EditRun> &runs)
{
    std::vector<LineOp> ops;
    std::size_t a = 0, b = 0;
    for (const EditRun &r : runs) {
        for (std::size_t i = 0; i < r.length; ++i) {
            ops.push_back({r.op, a, b});
            if (r.op != EditOp::Insert)
                ++a;
            if (r.op != EditOp::Delete)
                ++b;
        }
    }
    return ops;
}

std::string_view tokenText(std::string_view text, const TextToken &t)
{
    return text.substr(t.begin, t.size());
}

std::string withoutBreak(std::string_view line)
{
    if (line.ends_with('\n'))
        line.remove_suffix(1);
    return std::string(line);
}

std::string withoutTerminator(std::string_view line)
{
    if (line.ends_with('\n'))
        line.remove_suffix(1);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    return std::string(line);
}

std::string range(std::size_t start, std::size_t count)
{
    return count == 1 ? std::to_string(start) : std::to_string(start) + "," + std::to_string(count);
}

void appendHeader(std::string &out, const DiffHunk &h)
{
    out += "@@ -" + range(h.oldStart, h.oldCount) + " +" + range(h.newStart, h.newCount) + " @@\n";
}

void appendWordSpans(std::string &out, const std::vector<WordSpan> &spans)
{
    for (const WordSpan &s : spans) {
        if (s.op == EditOp::Equal)
            out += s.text;
        else if (s.op == EditOp::Delete)
            out += "[-" + s.text + "-]";
        else
            out += "{+" + s.text + "+}";
    }
    if (!out.empty() && out.back() != '\n')
        out += "\n\\ No newline at end of file\n";
}

// Word spans from a token diff: runs of one kind joined; within a change
// block all deletions come before all insertions.
std::vector<WordSpan> spansOf(std::string_view a, std::string_view b, const TokenDiff &d)
{
    std::vector<WordSpan> spans;
    std::string deleted, inserted;
    const auto flush = [&] {
        if (!deleted.empty())
            spans.push_back({EditOp::Delete, std::move(deleted)});
        if (!inserted.empty())
            spans.push_back({EditOp::Insert, std::move(inserted)});
        deleted.clear();
        inserted.clear();
    };
    for (const EditRun &r : d.runs) {
        if (r.op == EditOp::Equal) {
            flush();
            const std::size_t from = d.oldTokens[r.aBegin].begin, to = d.oldTokens[r.aBegin + r.length - 1].end;
            if (!spans.empty() && spans.back().op == EditOp::Equal)
                spans.back().text += a.substr(from, to - from);
            else
                spans.push_back({EditOp::Equal, std::string(a.substr(from, to - from))});
        } else if (r.op == EditOp::Delete) {
            const std::size_t from = d.oldTokens[r.aBegin].begin, to = d.oldTokens[r.aBegin + r.length - 1].end;
            deleted += a.substr(from, to - from);
        } else {
            const std::size_t from = d.newTokens[r.bBegin].begin, to = d.newTokens[r.bBegin + r.length - 1].end;
            inserted += b.substr(from, to - from);
        }
    }
    flush();
    return spans;
}

// Byte ranges of a text that a token diff deleted (old side) or inserted (new side).
std::vector<std::pair<std::size_t, std::size_t>> changedRanges(const TokenDiff &d, bool oldSide)
{
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (const EditRun &r : d.runs) {
        if (r.op != (oldSide ? EditOp::Delete : EditOp::Insert))
            continue;
        const auto &tokens = oldSide ? d.oldTokens : d.newTokens;
        const std::size_t first = oldSide ? r.aBegin : r.bBegin;
        ranges.emplace_back(tokens[first].begin, tokens[first + r.length - 1].end);
    }
    return ranges;
}

// The part of block-level ranges inside [lineBegin, lineEnd), relative to lineBegin.
std::vector<std::pair<std::size_t, std::size_t>> clip(const std::vector<std::pair<std::size_t, std::size_t>> &ranges,
                                                     std::size_t lineBegin, std::size_t lineEnd)
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto &[from, to] : ranges) {
        const std::size_t b = std::max(from, lineBegin), e = std::min(to, lineEnd);
        if (b < e) {
            if (!out.empty() && out.back().second == b - lineBegin)
                out.back().second = e - lineBegin;
            else
                out.emplace_back(b - lineBegin, e - lineBegin);
        }
    }
    return out;
}

} // namespace

std::optional<LineDiff> TextDiffer::diffLines(std::string_view oldText, std::string_view newText) const
{
    TokenDiff d;
    if (!diffTokens(oldText, newText, false, m_cancel, d))
        return std::nullopt;
    const std::vector<LineOp> ops = flatten(d.runs);
    LineDiff result;
    for (const LineOp &op : ops) {
        result.added += op.op == EditOp::Insert;
        result.removed += op.op == EditOp::Delete;
    }
    result.identical = result.added == 0 && result.removed == 0;
    const std::size_t context = m_context;
    std::size_t i = 0;
    while (i < ops.size()) {
        if (cancelled())
            return std::nullopt;
        if (ops[i].op == EditOp::Equal) {
            ++i;
            continue;
        }
        const std::size_t start = i >= context ? i - context : 0;
        std::size_t lastChange = i, j = i;
        while (j < ops.size()) {
            if (ops[j].op != EditOp::Equal) {
                lastChange = j++;
                continue;
            }
            std::size_t k = j;
            while (k < ops.size() && ops[k].op == EditOp::Equal)
                ++k;
            if (k == ops.size() || k - j > 2 * context)
                break;
            j = k;
        }
        const std::size_t end = std::min(ops.size(), lastChange + 1 + context);
        DiffHunk hunk;
        for (std::size_t n = start; n < end; ++n) {
            const LineOp &op = ops[n];
            const bool old = op.op != EditOp::Insert;
            const TextToken &t = old ? d.oldTokens[op.a] : d.newTokens[op.b];
            const std::string_view line = tokenText(old ? oldText : newText, t);
            hunk.lines.push_back({op.op, withoutBreak(line), !line.ends_with('\n')});
            hunk.oldCount += op.op != EditOp::Insert;
            hunk.newCount += op.op != EditOp::Delete;
        }
        hunk.oldStart = ops[start].a + (hunk.oldCount ? 1 : 0);
        hunk.newStart = ops[start].b + (hunk.newCount ? 1 : 0);
        result.hunks.push_back(std::move(hunk));
        i = end;
    }
    return result;
}

std::optional<std::string> TextDiffer::unified(std::string_view oldText, std::string_view newText,
                                               const std::string &oldLabel, const std::string &newLabel) const
{
    const auto diff = diffLines(oldText, newText);
    if (!diff)
        return std::nullopt;
    std::string out;
    if (diff->identical)
        return out;
    out += "--- " + oldLabel + "\n+++ " + newLabel + "\n";
    for (const DiffHunk &h : diff->hunks) {
        appendHeader(out, h);
        for (const DiffHunk::Line &line : h.lines) {
            out += line.op == EditOp::Equal ? ' ' : line.op == EditOp::Delete ? '-' : '+';
            out += line.text;
            out += '\n';
            if (line.noNewline)
                out += "\\ No newline at end of file\n";
        }
    }
    return out;
}

std::optional<std::vector<WordSpan>> TextDiffer::diffWords(std::string_view oldText, std::string_view newText) const
{
    TokenDiff d;
    if (!diffTokens(oldText, newText, true, m_cancel, d))
        return std::nullopt;
    return spansOf(oldText, newText, d);
}

std::optional<std::string> TextDiffer::wordDiff(std::string_view oldText, std::string_view newText,
                                                const std::string &oldLabel, const std::string &newLabel) const
{
    const auto diff = diffLines(oldText, newText);
    if (!diff)
        return std::nullopt;
    std::string out;
    if (diff->identical)
        return out;
    out += "--- " + oldLabel + "\n+++ " + newLabel + "\n";
    for (const DiffHunk &h : diff->hunks) {
        std::string before, after;
        for (const DiffHunk::Line &line : h.lines) {
            const std::string full = line.text + (line.noNewline ? "" : "\n");
            if (line.op != EditOp::Insert)
                before += full;
            if (line.op != EditOp::Delete)
                after += full;
        }
        const auto spans = diffWords(before, after);
        if (!spans)
            return std::nullopt;
        appendHeader(out, h);
        std::string body;
        appendWordSpans(body, *spans);
        out += body;
    }
    return out;
}

std::optional<std::vector<SideBySideRow>> TextDiffer::sideBySide(std::string_view oldText,
                                                                 std::string_view newText) const
{
    TokenDiff d;
    if (!diffTokens(oldText, newText, false, m_cancel, d))
        return std::nullopt;
    const std::vector<LineOp> ops = flatten(d.runs);
    std::vector<SideBySideRow> rows;
    std::size_t i = 0;
    while (i < ops.size()) {
        if (cancelled())
            return std::nullopt;
        if (ops[i].op == EditOp::Equal) {
            SideBySideRow row;
            row.oldLine = ops[i].a + 1;
            row.newLine = ops[i].b + 1;
            row.oldText = withoutTerminator(tokenText(oldText, d.oldTokens[ops[i].a]));
            row.newText = row.oldText;
            rows.push_back(std::move(row));
            ++i;
            continue;
        }
        // A change block: its old lines against its new lines, word by word.
        std::vector<std::size_t> oldLines, newLines;
        while (i < ops.size() && ops[i].op != EditOp::Equal) {
            (ops[i].op == EditOp::Delete ? oldLines : newLines).push_back(ops[i].op == EditOp::Delete ? ops[i].a : ops[i].b);
            ++i;
        }
        const auto blockOf = [](std::string_view text, const std::vector<TextToken> &tokens,
                                const std::vector<std::size_t> &lines) {
            return lines.empty() ? std::string_view()
                                 : text.substr(tokens[lines.front()].begin, tokens[lines.back()].end - tokens[lines.front()].begin);
        };
        const std::string_view oldBlock = blockOf(oldText, d.oldTokens, oldLines);
        const std::string_view newBlock = blockOf(newText, d.newTokens, newLines);
        TokenDiff words;
        if (!diffTokens(oldBlock, newBlock, true, m_cancel, words))
            return std::nullopt;
        const auto oldRanges = changedRanges(words, true);
        const auto newRanges = changedRanges(words, false);
        const std::size_t pairs = std::max(oldLines.size(), newLines.size());
        for (std::size_t k = 0; k < pairs; ++k) {
            SideBySideRow row;
            std::string_view oldFull, newFull;
            if (k < oldLines.size()) {
                const TextToken &t = d.oldTokens[oldLines[k]];
                oldFull = tokenText(oldText, t);
                row.oldLine = oldLines[k] + 1;
                row.oldText = withoutTerminator(oldFull);
                const std::size_t begin = t.begin - d.oldTokens[oldLines.front()].begin;
                row.oldHighlights = clip(oldRanges, begin, begin + row.oldText.size());
            }
            if (k < newLines.size()) {
                const TextToken &t = d.newTokens[newLines[k]];
                newFull = tokenText(newText, t);
                row.newLine = newLines[k] + 1;
                row.newText = withoutTerminator(newFull);
                const std::size_t begin = t.begin - d.newTokens[newLines.front()].begin;
                row.newHighlights = clip(newRanges, begin, begin + row.newText.size());
            }
            row.kind = !row.oldLine ? SideBySideRow::Kind::Added
                       : !row.newLine ? SideBySideRow::Kind::Removed
                                      : SideBySideRow::Kind::Changed;
            row.lineEndingChanged = row.oldLine && row.newLine && row.oldText == row.newText && oldFull != newFull;
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

} // namespace vigil
