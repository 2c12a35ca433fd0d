#pragma once

#include <QLabel>

namespace vigil::ui {

// One line that says how the last action went: a switch done, or what was
// refused and why. Tinted from the palette (light and dark alike).
class NoticeLabel final : public QLabel
{
    Q_OBJECT

public:
    enum class Kind { Info, Success, Error };

    explicit NoticeLabel(QWidget *parent = nullptr);

    void showNotice(Kind kind, const QString &text); // empty text hides it
    Kind kind() const { return m_kind; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    Kind m_kind = Kind::Info;
    bool m_applying = false;
};

} // namespace vigil::ui
