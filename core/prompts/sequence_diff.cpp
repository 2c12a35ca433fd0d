#include "prompts/sequence_diff.h"

#include <algorithm>

namespace vigil {

namespace {

class Myers
{
public:
    Myers(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b, std::vector<EditRun> &runs,
          const std::atomic<bool> *cancel, std::uint64_t budget)
        : m_a(a), m_b(b), m_runs(runs), m_cancel(cancel), m_budget(budget)
    {
    }

    bool run()
    {
        diff(0, m_a.size(), 0, m_b.size());
        return !m_cancelled;
    }

private:
    using Index = std::ptrdiff_t;

    void emit(EditOp op, std::size_t a, std::size_t b, std::size_t length)
    {
        if (length == 0)
            return;
        if (!m_runs.empty() && m_runs.back().op == op) {
            EditRun &last = m_runs.back();
            const bool contiguous = (op == EditOp::Insert || last.aBegin + (op == EditOp::Insert ? 0 : last.length) == a) &&
                                    (op == EditOp::Delete || last.bBegin + (op == EditOp::Delete ? 0 : last.length) == b);
            if (contiguous) {
                last.length += length;
                return;
            }
        }
        m_runs.push_back({op, a, b, length});
    }

    void replaceAll(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1)
    {
        emit(EditOp::Delete, a0, b0, a1 - a0);
        emit(EditOp::Insert, a1, b0, b1 - b0);
    }

    bool stop()
    {
        if (m_cancelled)
            return true;
        if (m_cancel && (++m_checks & 255) == 0 && m_cancel->load(std::memory_order_relaxed))
            m_cancelled = true;
        return m_cancelled;
    }

    // Diffs a[a0, a1) against b[b0, b1), appending runs in order.
    void diff(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1)
    {
        if (m_cancelled)
            return;
        std::size_t prefix = 0;
        while (a0 + prefix < a1 && b0 + prefix < b1 && m_a[a0 + prefix] == m_b[b0 + prefix])
            ++prefix;
        emit(EditOp::Equal, a0, b0, prefix);
        a0 += prefix;
        b0 += prefix;
        std::size_t suffix = 0;
        while (a1 - suffix > a0 && b1 - suffix > b0 && m_a[a1 - suffix - 1] == m_b[b1 - suffix - 1])
            ++suffix;
        const std::size_t aEnd = a1 - suffix, bEnd = b1 - suffix;
        if (a0 == aEnd) {
            emit(EditOp::Insert, a0, b0, bEnd - b0);
        } else if (b0 == bEnd) {
            emit(EditOp::Delete, a0, b0, aEnd - a0);
        } else {
            std::size_t x = 0, y = 0;
            if (m_used < m_budget && bisect(a0, aEnd, b0, bEnd, x, y)) {
                diff(a0, x, b0, y);
                diff(x, aEnd, y, bEnd);
            } else if (!m_cancelled) {
                replaceAll(a0, aEnd, b0, bEnd);
            }
        }
        emit(EditOp::Equal, aEnd, bEnd, suffix);
    }

    // Finds the middle snake of the shortest edit path (the split point x, y);
    // false when the two ranges share nothing or the work budget ran out.
    bool bisect(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1, std::size_t &splitX,
                std::size_t &splitY)
    {
        const Index n = static_cast<Index>(a1 - a0), m = static_cast<Index>(b1 - b0);
        const Index maxD = (n + m + 1) / 2;
        const Index offset = maxD;
        const Index length = 2 * maxD + 2;
        std::vector<Index> v1(static_cast<std::size_t>(length), -1), v2(static_cast<std::size_t>(length), -1);
        v1[static_cast<std::size_t>(offset + 1)] = 0;
        v2[static_cast<std::size_t>(offset + 1)] = 0;
        const Index delta = n - m;
        const bool front = (delta % 2) != 0;
        Index k1start = 0, k1end = 0, k2start = 0, k2end = 0;
        const auto A = [&](Index i) { return m_a[a0 + static_cast<std::size_t>(i)]; };
        const auto B = [&](Index i) { return m_b[b0 + static_cast<std::size_t>(i)]; };
        const auto at = [](std::vector<Index> &v, Index i) -> Index & { return v[static_cast<std::size_t>(i)]; };
        for (Index d = 0; d < maxD; ++d) {
            if (stop())
                return false;
            m_used += static_cast<std::uint64_t>(2 * d + 2);
            if (m_used > m_budget)
                return false;
            for (Index k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
                const Index k1o = offset + k1;
                Index x1 = (k1 == -d || (k1 != d && at(v1, k1o - 1) < at(v1, k1o + 1))) ? at(v1, k1o + 1)
                                                                                       : at(v1, k1o - 1) + 1;
                Index y1 = x1 - k1;
                while (x1 < n && y1 < m && A(x1) == B(y1)) {
                    ++x1;
                    ++y1;
                }
                at(v1, k1o) = x1;
                if (x1 > n) {
                    k1end += 2;
                } else if (y1 > m) {
                    k1start += 2;
                } else if (front) {
                    const Index k2o = offset + delta - k1;
                    if (k2o >= 0 && k2o < length && at(v2, k2o) != -1 && x1 >= n - at(v2, k2o)) {
                        splitX = a0 + static_cast<std::size_t>(x1);
                        splitY = b0 + static_cast<std::size_t>(y1);
                        return true;
                    }
                }
            }
            for (Index k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
                const Index k2o = offset + k2;
                Index x2 = (k2 == -d || (k2 != d && at(v2, k2o - 1) < at(v2, k2o + 1))) ? at(v2, k2o + 1)
                                                                                       : at(v2, k2o - 1) + 1;
                Index y2 = x2 - k2;
                while (x2 < n && y2 < m && A(n - x2 - 1) == B(m - y2 - 1)) {
                    ++x2;
                    ++y2;
                }
                at(v2, k2o) = x2;
                if (x2 > n) {
                    k2end += 2;
                } else if (y2 > m) {
                    k2start += 2;
                } else if (!front) {
                    const Index k1o = offset + delta - k2;
                    if (k1o >= 0 && k1o < length && at(v1, k1o) != -1) {
                        const Index x1 = at(v1, k1o);
                        const Index y1 = offset + x1 - k1o;
                        if (x1 >= n - x2) {
                            splitX = a0 + static_cast<std::size_t>(x1);
                            splitY = b0 + static_cast<std::size_t>(y1);
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    const std::vector<std::uint32_t> &m_a;
    const std::vector<std::uint32_t> &m_b;
    std::vector<EditRun> &m_runs;
    const std::atomic<bool> *m_cancel;
    std::uint64_t m_budget;
    std::uint64_t m_used = 0;
    std::uint64_t m_checks = 0;
    bool m_cancelled = false;
};

} // namespace

bool diffSequences(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b,
                   std::vector<EditRun> &runs, const std::atomic<bool> *cancel, std::uint64_t workBudget)
{
    runs.clear();
    return Myers(a, b, runs, cancel, workBudget).run();
}

} // namespace vigil
