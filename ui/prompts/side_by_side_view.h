#pragma once

#include "prompts/text_diff.h"

#include <QTextBrowser>

#include <vector>

namespace vigil::ui {

// Colours of a diff, worked out from the palette so they read on light and dark.
struct DiffColors
{
    QColor removedLine, removedWord, addedLine, addedWord, emptySide, lineNumber, text;
};
DiffColors diffColors(const QPalette &palette);

// Two versions side by side: changed lines tinted, changed words marked
// within them (TextDiffer's rows), or one version's text on its own. Drawn
// from the palette again when the theme changes.
class SideBySideView final : public QTextBrowser
{
    Q_OBJECT

public:
    explicit SideBySideView(QWidget *parent = nullptr);

    void showDiff(const QString &oldTitle, const QString &newTitle, std::vector<SideBySideRow> rows);
    void showText(const QString &title, const std::string &text);
    void showMessage(const QString &message);

    // What is shown, for tests: the rows of the diff (empty for a text or a message).
    const std::vector<SideBySideRow> &rows() const { return m_rows; }
    bool isDiff() const { return m_mode == Mode::Diff; }

    static constexpr std::size_t kMaxRows = 5000; // beyond this the page says so

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Mode { Empty, Diff, Text, Message };
    void render();
    QString diffHtml(const DiffColors &colors) const;
    QString textHtml(const DiffColors &colors) const;
    int numberWidth(std::size_t largestLine) const;

    Mode m_mode = Mode::Empty;
    QString m_oldTitle;
    QString m_newTitle;
    std::vector<SideBySideRow> m_rows;
    std::string m_text;
    QString m_message;
    bool m_rendering = false;
};

} // namespace vigil::ui
