#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace vigil::ui {

// What the window shows while no store is open: what is happening (opening,
// building the demo store) with progress, or the ways to get a store.
class StartPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit StartPanel(QWidget *parent = nullptr);

    void showBusy(const QString &what, int percent = -1); // percent < 0: no measure yet
    void showIdle(const QString &message);
    QString message() const;
    int percent() const;

Q_SIGNALS:
    void openStoreRequested();
    void demoRequested();
    void cancelRequested();

private:
    QLabel *m_message = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_demo = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace vigil::ui
