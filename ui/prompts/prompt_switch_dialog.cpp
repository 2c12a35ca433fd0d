#include "prompts/prompt_switch_dialog.h"

#include "prompts/side_by_side_view.h"

#include "util/format.h"
#include "util/theme.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil::ui {

QString describeVersion(const PromptVersion &version)
{
    if (version.sha.empty())
        return QObject::tr("nothing");
    QString text = QString::fromStdString(version.shortSha);
    if (!version.subject.empty())
        text += QStringLiteral(" “%1”").arg(QString::fromStdString(version.subject));
    return text;
}

PromptSwitchDialog::PromptSwitchDialog(const SwitchPlan &plan, QWidget *parent) : QDialog(parent), m_plan(plan)
{
    setObjectName(QStringLiteral("promptSwitchDialog"));
    const bool rollback = plan.kind == SwitchPlan::Kind::Rollback;
    const QString name = QString::fromStdString(plan.name);
    setWindowTitle(rollback ? tr("Roll back %1").arg(name) : tr("Activate a version of %1").arg(name));

    auto *headline = new QLabel(this);
    headline->setObjectName(QStringLiteral("switchHeadline"));
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::RichText);
    const QString from = plan.active
                             ? tr("<b>%1</b>, active since %2 by %3")
                                   .arg(describeVersion(plan.diff.oldVersion).toHtmlEscaped(),
                                        formatDateTime(plan.active->activatedAtMs),
                                        QString::fromStdString(plan.active->by()).toHtmlEscaped())
                             : tr("no active version");
    headline->setText((rollback ? tr("Roll <b>%1</b> back from %2<br>to the previously active version <b>%3</b>.")
                                : tr("Make <b>%3</b> the active version of <b>%1</b>;<br>now: %2."))
                          .arg(name.toHtmlEscaped(), from, describeVersion(plan.target).toHtmlEscaped()));

    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("switchFigures"));
    m_figures->setWordWrap(true);
    m_figures->hide();
    auto *counts = new QLabel(this);
    counts->setObjectName(QStringLiteral("switchDiffCounts"));
    counts->setText(plan.diff.identical ? tr("The two versions have the same text.")
                                        : tr("Lines: +%1 −%2 (%3 → %4)")
                                              .arg(plan.diff.added)
                                              .arg(plan.diff.removed)
                                              .arg(plan.diff.oldVersion.sha.empty() ? tr("empty")
                                                                                    : QString::fromStdString(plan.diff.oldVersion.shortSha),
                                                   QString::fromStdString(plan.target.shortSha)));
    m_diff = new SideBySideView(this);
    m_diff->showDiff(plan.diff.oldVersion.sha.empty() ? tr("(nothing active)")
                                                      : tr("Active: %1").arg(QString::fromStdString(plan.diff.oldVersion.shortSha)),
                     (rollback ? tr("Rollback to: %1") : tr("Activate: %1")).arg(QString::fromStdString(plan.target.shortSha)),
                     plan.diff.rows);

    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("switchReason"));
    m_reason->setPlaceholderText(rollback ? tr("e.g. p95 tripled after the 21:40 deploy (SUP-1432)")
                                          : tr("e.g. shorter answers, ticket SUP-1432"));
    m_reason->setClearButtonEnabled(true);
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("switchHint"));
    m_hint->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Why:"), m_reason);
    form->addRow(QString(), m_hint);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(rollback ? tr("&Roll back") : tr("&Activate"), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("switchConfirm"));
    m_confirm->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &PromptSwitchDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PromptSwitchDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, &PromptSwitchDialog::updateButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addWidget(m_figures);
    layout->addWidget(counts);
    layout->addWidget(m_diff, 1);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(980, 620);
    m_reason->setFocus();
    updateButton();
}

QString PromptSwitchDialog::reason() const
{
    return m_reason->text().trimmed();
}

void PromptSwitchDialog::setFigures(const QString &text)
{
    m_figures->setText(text);
    m_figures->setVisible(!text.isEmpty());
}

QString PromptSwitchDialog::figures() const
{
    return m_figures->text();
}

QString PromptSwitchDialog::hint() const
{
    return m_hint->text();
}

void PromptSwitchDialog::updateButton()
{
    const bool ok = !reason().isEmpty();
    m_confirm->setEnabled(ok);
    m_hint->setText(ok ? tr("Recorded with your user and host in the store's operator log, then prompts.lock.json is rewritten.")
                       : tr("A reason is required: it goes into the operator log next to your name."));
    QPalette p = m_hint->palette();
    p.setColor(QPalette::WindowText, ok ? palette().color(QPalette::PlaceholderText) : statusColors(palette()).bad);
    m_hint->setPalette(p);
}

void PromptSwitchDialog::accept()
{
    if (reason().isEmpty()) {
        updateButton();
        m_reason->setFocus();
        return; // no reason, no switch
    }
    QDialog::accept();
}

} // namespace vigil::ui
