#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <vector>

namespace vigil::cli {

// Aligned columns for human output: the first `leftColumns` columns
// left-aligned (labels), the rest right-aligned (numbers).
class TextTable final
{
public:
    explicit TextTable(QStringList header, int leftColumns = 1)
        : m_header(std::move(header)), m_leftColumns(leftColumns)
    {
    }
    void addRow(QStringList row) { m_rows.push_back(std::move(row)); }
    void print(QTextStream &stream) const;

private:
    QStringList m_header;
    int m_leftColumns;
    std::vector<QStringList> m_rows;
};

} // namespace vigil::cli
