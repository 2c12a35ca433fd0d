#pragma once

#include <QStyledItemDelegate>

namespace vigil::ui {

// Draws a search snippet with its matches highlighted (the marks come from
// AuditTableModel::MarkedSnippetRole).
class SnippetDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace vigil::ui
