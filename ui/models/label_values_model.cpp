#include "models/label_values_model.h"

namespace vigil::ui {

LabelValuesModel::LabelValuesModel(QString allText, QObject *parent)
    : QAbstractListModel(parent), m_allText(std::move(allText))
{
}

void LabelValuesModel::setValues(const std::vector<std::string> &values)
{
    QStringList next;
    next.reserve(static_cast<qsizetype>(values.size()));
    for (const std::string &v : values)
        next << QString::fromStdString(v);
    if (next == m_values)
        return;
    beginResetModel();
    m_values = std::move(next);
    endResetModel();
}

int LabelValuesModel::rowOf(const QString &value) const
{
    if (value.isEmpty())
        return 0;
    const auto i = m_values.indexOf(value);
    return i < 0 ? -1 : static_cast<int>(i) + 1;
}

int LabelValuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_values.size()) + 1;
}

QVariant LabelValuesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.column() != 0 || index.row() < 0 || index.row() >= rowCount())
        return {};
    const bool all = index.row() == 0;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return all ? m_allText : m_values.at(index.row() - 1);
    case Qt::UserRole: return all ? QString() : m_values.at(index.row() - 1);
    case Qt::ToolTipRole: return all ? m_allText : m_values.at(index.row() - 1);
    default: return {};
    }
}

} // namespace vigil::ui
