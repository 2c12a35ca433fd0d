#pragma once

#include <QFrame>

class QLabel;

namespace vigil::ui {

// A plain notice across the top of a page ("No data has arrived for 20
// minutes"). Hidden while it has nothing to say.
class Banner final : public QFrame
{
    Q_OBJECT

public:
    explicit Banner(QWidget *parent = nullptr);
    void setMessage(const QString &message); // empty hides it
    QString message() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    QLabel *m_label = nullptr;
};

} // namespace vigil::ui
