#pragma once

#include <QWidget>

#include <map>

class QLabel;
class QToolButton;

namespace vigil::ui {

class ConsoleContext;
enum class RangePreset;

// The time range picker of the toolbar: 15m, 1h, 6h, 24h, 7d, a custom range
// and "back" (undo the last zoom), kept in step with the context.
class RangeBar final : public QWidget
{
    Q_OBJECT

public:
    explicit RangeBar(ConsoleContext &context, QWidget *parent = nullptr);

    QToolButton *presetButton(RangePreset preset) const;
    void pickCustomRange(); // opens the custom range dialog

private:
    void sync();

    ConsoleContext &m_context;
    std::map<RangePreset, QToolButton *> m_buttons;
    QToolButton *m_back = nullptr;
    QLabel *m_label = nullptr;
};

} // namespace vigil::ui
