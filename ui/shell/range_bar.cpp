#include "shell/range_bar.h"

#include "shell/console_context.h"
#include "shell/custom_range_dialog.h"
#include "util/time_range.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace vigil::ui {

RangeBar::RangeBar(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("rangeBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->setSpacing(2);
    m_back = new QToolButton(this);
    m_back->setText(QStringLiteral("←"));
    m_back->setAutoRaise(true);
    m_back->setToolTip(tr("Back to the range before (Alt+Left)"));
    connect(m_back, &QToolButton::clicked, this, [this] { m_context.goBack(); });
    layout->addWidget(m_back);
    auto *group = new QButtonGroup(this);
    group->setExclusive(true);
    int index = 1;
    for (RangePreset preset : kSlidingPresets) {
        auto *button = new QToolButton(this);
        button->setText(presetShortName(preset));
        button->setCheckable(true);
        button->setToolTip(tr("%1 (Alt+%2)").arg(TimeRange::sliding(preset).label()).arg(index++));
        button->setAutoRaise(true);
        group->addButton(button);
        connect(button, &QToolButton::clicked, this, [this, preset] { m_context.setRange(TimeRange::sliding(preset)); });
        m_buttons.emplace(preset, button);
        layout->addWidget(button);
    }
    auto *custom = new QToolButton(this);
    custom->setText(tr("Custom…"));
    custom->setCheckable(true);
    custom->setAutoRaise(true);
    custom->setToolTip(tr("Pick a from and to time (Alt+6)"));
    group->addButton(custom);
    connect(custom, &QToolButton::clicked, this, &RangeBar::pickCustomRange);
    m_buttons.emplace(RangePreset::Custom, custom);
    layout->addWidget(custom);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("rangeLabel"));
    layout->addSpacing(6);
    layout->addWidget(m_label);
    connect(&context, &ConsoleContext::rangeChanged, this, &RangeBar::sync);
    sync();
}

QToolButton *RangeBar::presetButton(RangePreset preset) const
{
    auto it = m_buttons.find(preset);
    return it == m_buttons.end() ? nullptr : it->second;
}

void RangeBar::pickCustomRange()
{
    const TimeWindow current = m_context.range().resolve(m_context.nowMs());
    auto *dialog = new CustomRangeDialog(current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CustomRangeDialog::picked, this,
            [this](qint64 from, qint64 to) { m_context.setRange(TimeRange::custom(from, to)); });
    connect(dialog, &QDialog::finished, this, [this] { sync(); });
    dialog->open();
}

void RangeBar::sync()
{
    const TimeRange range = m_context.range();
    if (QToolButton *b = presetButton(range.preset()))
        b->setChecked(true);
    m_label->setText(range.isCustom() ? range.label() : QString());
    m_back->setEnabled(m_context.canGoBack());
}

} // namespace vigil::ui
