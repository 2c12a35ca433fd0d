#include "audit/audit_filter_bar.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>

namespace vigil::ui {

namespace {
// Index 0: every outcome; 1: every failure; then one outcome each.
constexpr int kFirstSingleOutcome = 2;
} // namespace

AuditFilterBar::AuditFilterBar(QWidget *parent) : QWidget(parent)
{
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("auditUserFilter"));
    m_user->setPlaceholderText(tr("Any user"));
    m_user->setClearButtonEnabled(true);
    m_user->setMaximumWidth(150);
    m_outcome = new QComboBox(this);
    m_outcome->setObjectName(QStringLiteral("auditOutcomeFilter"));
    m_outcome->addItems(outcomeChoices());
    m_error = new QComboBox(this);
    m_error->setObjectName(QStringLiteral("auditErrorFilter"));
    m_error->setEditable(true);
    m_error->setInsertPolicy(QComboBox::NoInsert);
    m_error->addItems({QString(), QStringLiteral("rate_limit"), QStringLiteral("timeout"), QStringLiteral("http_5xx"),
                       QStringLiteral("content_filter"), QStringLiteral("invalid_request")});
    m_error->lineEdit()->setPlaceholderText(tr("Any error type"));
    m_error->setMinimumWidth(130);
    m_latency = new QSpinBox(this);
    m_latency->setObjectName(QStringLiteral("auditLatencyFilter"));
    m_latency->setRange(0, 600'000);
    m_latency->setSingleStep(100);
    m_latency->setSuffix(tr(" ms"));
    m_latency->setSpecialValueText(tr("any"));
    m_latency->setToolTip(tr("Only calls slower than this"));
    m_cost = new QDoubleSpinBox(this);
    m_cost->setObjectName(QStringLiteral("auditCostFilter"));
    m_cost->setRange(0, 1000);
    m_cost->setDecimals(4);
    m_cost->setSingleStep(0.001);
    m_cost->setPrefix(QStringLiteral("$"));
    m_cost->setSpecialValueText(tr("any"));
    m_cost->setToolTip(tr("Only calls that cost more than this"));

    connect(m_user, &QLineEdit::editingFinished, this, &AuditFilterBar::filterEdited);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &AuditFilterBar::filterEdited);
    connect(m_error, &QComboBox::activated, this, &AuditFilterBar::filterEdited);
    connect(m_error->lineEdit(), &QLineEdit::editingFinished, this, &AuditFilterBar::filterEdited);
    connect(m_latency, &QSpinBox::editingFinished, this, &AuditFilterBar::filterEdited);
    connect(m_cost, &QDoubleSpinBox::editingFinished, this, &AuditFilterBar::filterEdited);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto labelled = [&](const QString &text, QWidget *w) {
        auto *label = new QLabel(text, this);
        label->setBuddy(w);
        layout->addWidget(label);
        layout->addWidget(w);
    };
    labelled(tr("&User:"), m_user);
    labelled(tr("Outcome:"), m_outcome);
    labelled(tr("Error:"), m_error);
    labelled(tr("Latency >"), m_latency);
    labelled(tr("Cost >"), m_cost);
}

QStringList AuditFilterBar::outcomeChoices()
{
    QStringList choices{tr("All outcomes"), tr("Failures (not ok)")};
    for (int i = 0; i < kOutcomeCount; ++i)
        choices << QString::fromUtf8(outcomeName(static_cast<Outcome>(i)).data());
    return choices;
}

void AuditFilterBar::applyTo(AuditFilter &filter) const
{
    const auto text = [](const QString &s) {
        const QString t = s.trimmed();
        return t.isEmpty() ? std::nullopt : std::optional<std::string>(t.toStdString());
    };
    filter.user = text(m_user->text());
    filter.errorType = text(m_error->currentText());
    filter.outcomes.clear();
    const int choice = m_outcome->currentIndex();
    if (choice == 1) {
        for (int i = 1; i < kOutcomeCount; ++i)
            filter.outcomes.insert(static_cast<Outcome>(i));
    } else if (choice >= kFirstSingleOutcome) {
        filter.outcomes.insert(static_cast<Outcome>(choice - kFirstSingleOutcome));
    }
    filter.latencyAboveMs = m_latency->value() > 0 ? std::optional<double>(m_latency->value()) : std::nullopt;
    filter.costAboveUsd = m_cost->value() > 0 ? std::optional<double>(m_cost->value()) : std::nullopt;
}

void AuditFilterBar::clear()
{
    const QSignalBlocker a(m_outcome);
    m_user->clear();
    m_outcome->setCurrentIndex(0);
    m_error->setCurrentText(QString());
    m_latency->setValue(0);
    m_cost->setValue(0);
    Q_EMIT filterEdited();
}

void AuditFilterBar::setUser(const QString &user)
{
    m_user->setText(user);
    Q_EMIT filterEdited();
}

void AuditFilterBar::setOutcomeChoice(int index)
{
    m_outcome->setCurrentIndex(index); // emits through currentIndexChanged
}

void AuditFilterBar::setErrorType(const QString &errorType)
{
    m_error->setCurrentText(errorType);
    Q_EMIT filterEdited();
}

void AuditFilterBar::setLatencyAboveMs(int ms)
{
    m_latency->setValue(ms);
    Q_EMIT filterEdited();
}

void AuditFilterBar::setCostAboveUsd(double usd)
{
    m_cost->setValue(usd);
    Q_EMIT filterEdited();
}

} // namespace vigil::ui
