#pragma once

#include "prompts/prompt_jobs.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace vigil::ui {

class SideBySideView;

// Confirms an activation or a rollback: shows what is active, what will be,
// the diff between them, and asks why. Without a reason it does not accept.
class PromptSwitchDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PromptSwitchDialog(const SwitchPlan &plan, QWidget *parent = nullptr);

    const SwitchPlan &plan() const { return m_plan; }
    QString reason() const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *confirmButton() const { return m_confirm; }
    SideBySideView *diffView() const { return m_diff; }
    QString hint() const;
    // The live figures of both versions, for comparison ("Last hour: ...").
    void setFigures(const QString &text);
    QString figures() const;

    void accept() override;

private:
    void updateButton();

    SwitchPlan m_plan;
    SideBySideView *m_diff = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_hint = nullptr;
    QLabel *m_figures = nullptr;
    QPushButton *m_confirm = nullptr;
};

// "a1b2c3d" with its subject, for titles.
QString describeVersion(const PromptVersion &version);

} // namespace vigil::ui
