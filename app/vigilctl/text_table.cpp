#include "text_table.h"

#include <algorithm>

namespace vigil::cli {

void TextTable::print(QTextStream &stream) const
{
    std::vector<qsizetype> widths(static_cast<std::size_t>(m_header.size()), 0);
    auto measure = [&](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < m_header.size(); ++i)
            widths[static_cast<std::size_t>(i)] = std::max(widths[static_cast<std::size_t>(i)], row[i].size());
    };
    measure(m_header);
    for (const auto &row : m_rows)
        measure(row);
    auto printRow = [&](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < m_header.size(); ++i) {
            const auto w = static_cast<int>(widths[static_cast<std::size_t>(i)]);
            if (i > 0)
                stream << "  ";
            if (i < m_leftColumns)
                stream << (i + 1 == row.size() ? row[i] : row[i].leftJustified(w));
            else
                stream << row[i].rightJustified(w);
        }
        stream << '\n';
    };
    printRow(m_header);
    for (const auto &row : m_rows)
        printRow(row);
}

} // namespace vigil::cli
