#pragma once

#include <QAbstractListModel>
#include <QStringList>

#include <string>
#include <vector>

namespace vigil::ui {

// The choices of one filter picker: "All <things>" first (no filter), then
// every value seen in the store. Qt::UserRole holds the value ("" for all).
class LabelValuesModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit LabelValuesModel(QString allText, QObject *parent = nullptr);

    // Replaces the values; a no-op when nothing changed (the common refresh).
    void setValues(const std::vector<std::string> &values);
    QStringList values() const { return m_values; }
    int rowOf(const QString &value) const; // 0 ("all") for an empty value, -1 when unknown

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QString m_allText;
    QStringList m_values;
};

} // namespace vigil::ui
