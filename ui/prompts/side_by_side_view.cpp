#include "prompts/side_by_side_view.h"

#include "util/theme.h"

#include <QEvent>
#include <QFontMetrics>

#include <algorithm>
#include <QStringBuilder>

namespace vigil::ui {

namespace {

QColor mix(const QColor &base, const QColor &tint, double amount)
{
    const auto channel = [amount](int a, int b) { return static_cast<int>(a + (b - a) * amount + 0.5); };
    return QColor(channel(base.red(), tint.red()), channel(base.green(), tint.green()), channel(base.blue(), tint.blue()));
}

QString escape(const std::string &bytes, std::size_t from, std::size_t to)
{
    return QString::fromUtf8(bytes.data() + from, static_cast<qsizetype>(to - from)).toHtmlEscaped();
}

// A line with its changed byte ranges marked.
QString markedLine(const std::string &text, const std::vector<std::pair<std::size_t, std::size_t>> &marks,
                   const QColor &markColor)
{
    std::string line = text;
    if (!line.empty() && line.back() == '\r')
        line.pop_back(); // the row says when only the line ending changed
    QString html;
    std::size_t at = 0;
    for (auto [from, to] : marks) {
        from = std::min(from, line.size());
        to = std::min(to, line.size());
        if (from < at || to <= from)
            continue;
        html += escape(line, at, from);
        html += QStringLiteral("<span style=\"background-color:%1\">").arg(markColor.name()) % escape(line, from, to) %
                QStringLiteral("</span>");
        at = to;
    }
    html += escape(line, at, line.size());
    return html;
}

// A fixed width in pixels: a percentage lets the number wrap onto a second line.
QString numberCell(std::size_t line, int widthPx, const DiffColors &c, const QColor &background)
{
    return QStringLiteral("<td align=\"right\" width=\"%1\" bgcolor=\"%2\" style=\"color:%3; padding-right:6px\">%4</td>")
        .arg(widthPx)
        .arg(background.name(), c.lineNumber.name(), line ? QString::number(line) : QString());
}

QString textCell(const QString &html, const QColor &background)
{
    return QStringLiteral("<td width=\"50%\" bgcolor=\"%1\" style=\"white-space:pre-wrap; padding-left:4px\">%2</td>")
        .arg(background.name(), html);
}

} // namespace

DiffColors diffColors(const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor red = dark ? QColor(0xff, 0x5c, 0x5c) : QColor(0xd7, 0x3a, 0x49);
    const QColor green = dark ? QColor(0x3f, 0xd0, 0x6b) : QColor(0x28, 0xa7, 0x45);
    DiffColors c;
    c.removedLine = mix(base, red, dark ? 0.20 : 0.13);
    c.removedWord = mix(base, red, dark ? 0.45 : 0.38);
    c.addedLine = mix(base, green, dark ? 0.18 : 0.13);
    c.addedWord = mix(base, green, dark ? 0.42 : 0.38);
    c.emptySide = mix(base, palette.color(QPalette::Text), dark ? 0.06 : 0.04);
    c.lineNumber = palette.color(QPalette::PlaceholderText);
    c.text = palette.color(QPalette::Text);
    return c;
}

SideBySideView::SideBySideView(QWidget *parent) : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("promptDiffView"));
    setOpenLinks(false);
    setLineWrapMode(QTextEdit::WidgetWidth);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    document()->setDefaultFont(mono);
}

void SideBySideView::showDiff(const QString &oldTitle, const QString &newTitle, std::vector<SideBySideRow> rows)
{
    m_mode = Mode::Diff;
    m_oldTitle = oldTitle;
    m_newTitle = newTitle;
    m_rows = std::move(rows);
    m_text.clear();
    render();
}

void SideBySideView::showText(const QString &title, const std::string &text)
{
    m_mode = Mode::Text;
    m_oldTitle = title;
    m_rows.clear();
    m_text = text;
    render();
}

void SideBySideView::showMessage(const QString &message)
{
    m_mode = Mode::Message;
    m_message = message;
    m_rows.clear();
    m_text.clear();
    render();
}

void SideBySideView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (!m_rendering && (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange))
        render();
}

void SideBySideView::render()
{
    m_rendering = true;
    const DiffColors colors = diffColors(palette());
    switch (m_mode) {
    case Mode::Empty: clear(); break;
    case Mode::Diff: setHtml(diffHtml(colors)); break;
    case Mode::Text: setHtml(textHtml(colors)); break;
    case Mode::Message:
        setHtml(QStringLiteral("<p style=\"color:%1\">%2</p>").arg(colors.lineNumber.name(), m_message.toHtmlEscaped()));
        break;
    }
    m_rendering = false;
}

int SideBySideView::numberWidth(std::size_t largest) const
{
    const int digits = static_cast<int>(QString::number(std::max<std::size_t>(largest, 10)).size());
    return QFontMetrics(document()->defaultFont()).horizontalAdvance(QLatin1Char('0')) * digits + 10;
}

QString SideBySideView::diffHtml(const DiffColors &c) const
{
    const QColor base = palette().color(QPalette::Base);
    QString html = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"1\" style=\"color:%1\">").arg(c.text.name());
    html += QStringLiteral("<tr><td></td><td><b>%1</b></td><td></td><td><b>%2</b></td></tr>")
                .arg(m_oldTitle.toHtmlEscaped(), m_newTitle.toHtmlEscaped());
    const int numbers = numberWidth(m_rows.empty() ? 0 : std::max(m_rows.back().oldLine, m_rows.back().newLine));
    std::size_t shown = 0;
    for (const SideBySideRow &row : m_rows) {
        if (++shown > kMaxRows) {
            html += QStringLiteral("<tr><td colspan=\"4\"><i>… %1 more lines not shown</i></td></tr>")
                        .arg(m_rows.size() - kMaxRows);
            break;
        }
        QColor oldBg = base, newBg = base;
        switch (row.kind) {
        case SideBySideRow::Kind::Same: break;
        case SideBySideRow::Kind::Changed: oldBg = c.removedLine; newBg = c.addedLine; break;
        case SideBySideRow::Kind::Removed: oldBg = c.removedLine; newBg = c.emptySide; break;
        case SideBySideRow::Kind::Added: oldBg = c.emptySide; newBg = c.addedLine; break;
        }
        QString oldText = row.oldLine ? markedLine(row.oldText, row.oldHighlights, c.removedWord) : QString();
        QString newText = row.newLine ? markedLine(row.newText, row.newHighlights, c.addedWord) : QString();
        if (row.lineEndingChanged)
            newText += QStringLiteral(" <i style=\"color:%1\">(line ending changed)</i>").arg(c.lineNumber.name());
        html += QStringLiteral("<tr>") % numberCell(row.oldLine, numbers, c, oldBg) % textCell(oldText, oldBg) %
                numberCell(row.newLine, numbers, c, newBg) % textCell(newText, newBg) % QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    return html;
}

QString SideBySideView::textHtml(const DiffColors &c) const
{
    const QColor base = palette().color(QPalette::Base);
    QString html = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"1\" style=\"color:%1\">").arg(c.text.name());
    html += QStringLiteral("<tr><td></td><td><b>%1</b></td></tr>").arg(m_oldTitle.toHtmlEscaped());
    const int numbers = numberWidth(static_cast<std::size_t>(std::count(m_text.begin(), m_text.end(), '\n')) + 1);
    std::size_t start = 0;
    std::size_t number = 0;
    while (start < m_text.size() && number < kMaxRows) {
        std::size_t end = m_text.find('\n', start);
        if (end == std::string::npos)
            end = m_text.size();
        html += QStringLiteral("<tr>") % numberCell(++number, numbers, c, base) %
                QStringLiteral("<td width=\"99%\" style=\"white-space:pre-wrap\">%1</td></tr>")
                    .arg(markedLine(m_text.substr(start, end - start), {}, QColor()));
        start = end + 1;
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace vigil::ui
