#include "audit/snippet_delegate.h"

#include "audit/audit_chunk.h"
#include "audit/audit_table_model.h"

#include <QApplication>
#include <QPainter>

namespace vigil::ui {

void SnippetDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString marked = index.data(AuditTableModel::MarkedSnippetRole).toString();
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(2, 0, -2, 0);
    painter->save();
    painter->setClipRect(area);
    const QFontMetrics plain(opt.font);
    QFont boldFont = opt.font;
    boldFont.setBold(true);
    const QFontMetrics bold(boldFont);
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    int x = area.left();
    bool inMatch = false;
    QString run;
    const auto flush = [&] {
        if (run.isEmpty())
            return;
        run.replace(QLatin1Char('\n'), QLatin1Char(' '));
        const QFontMetrics &fm = inMatch ? bold : plain;
        const int w = fm.horizontalAdvance(run);
        const QRect r(x, area.top(), w, area.height());
        if (inMatch) {
            painter->fillRect(r.adjusted(0, 2, 0, -2), QColor(0xff, 0xd8, 0x4d));
            painter->setPen(Qt::black);
            painter->setFont(boldFont);
        } else {
            painter->setPen(text);
            painter->setFont(opt.font);
        }
        painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft, run);
        x += w;
        run.clear();
    };
    for (const QChar c : marked) {
        if (x > area.right())
            break;
        if (c == QLatin1Char(kMatchOpen) || c == QLatin1Char(kMatchClose)) {
            flush();
            inMatch = c == QLatin1Char(kMatchOpen);
            continue;
        }
        run += c;
    }
    flush();
    painter->restore();
}

} // namespace vigil::ui
