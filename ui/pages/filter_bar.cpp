#include "pages/filter_bar.h"

#include "models/label_values_model.h"
#include "pages/searchable_combo.h"
#include "query/prompt_versions.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace vigil::ui {

namespace {
std::optional<std::string> optionalValue(const QString &value)
{
    return value.isEmpty() ? std::nullopt : std::optional<std::string>(value.toStdString());
}
QString text(const std::optional<std::string> &value)
{
    return value ? QString::fromStdString(*value) : QString();
}
} // namespace

FilterBar::FilterBar(QWidget *parent) : QWidget(parent)
{
    m_tenant = new SearchableCombo(tr("All tenants"), this);
    m_tenant->setObjectName(QStringLiteral("tenantFilter"));
    m_model = new SearchableCombo(tr("All models"), this);
    m_model->setObjectName(QStringLiteral("modelFilter"));
    m_provider = new SearchableCombo(tr("All providers"), this);
    m_provider->setObjectName(QStringLiteral("providerFilter"));
    m_prompt = new SearchableCombo(tr("All prompts"), this);
    m_prompt->setObjectName(QStringLiteral("promptFilter"));
    m_version = new SearchableCombo(tr("All versions"), this);
    m_version->setObjectName(QStringLiteral("promptVersionFilter"));
    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear filters"));
    m_clear->setToolTip(tr("Show every tenant, model, provider and prompt (Ctrl+Shift+X)"));

    connect(m_tenant, &SearchableCombo::valueChosen, this,
            [this](const QString &v) { edit([](LabelFilter &f, const QString &x) { f.tenant = optionalValue(x); }, v); });
    connect(m_model, &SearchableCombo::valueChosen, this,
            [this](const QString &v) { edit([](LabelFilter &f, const QString &x) { f.model = optionalValue(x); }, v); });
    connect(m_provider, &SearchableCombo::valueChosen, this,
            [this](const QString &v) { edit([](LabelFilter &f, const QString &x) { f.provider = optionalValue(x); }, v); });
    connect(m_prompt, &SearchableCombo::valueChosen, this, [this](const QString &v) {
        edit([](LabelFilter &f, const QString &x) {
            if (f.promptName != optionalValue(x))
                f.promptVersion.reset();
            f.promptName = optionalValue(x);
        }, v);
    });
    connect(m_version, &SearchableCombo::valueChosen, this, [this](const QString &v) {
        edit([](LabelFilter &f, const QString &x) {
            if (x.isEmpty()) {
                f.promptVersion.reset();
                return;
            }
            const PromptAndVersion pv = splitPromptKey(x.toStdString());
            f.promptName = pv.name;
            f.promptVersion = pv.version;
        }, v);
    });
    connect(m_clear, &QToolButton::clicked, this, [this] {
        setFilter({});
        Q_EMIT filterEdited(m_filter);
    });

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Filter:"), this));
    for (SearchableCombo *c : {m_tenant, m_model, m_provider, m_prompt, m_version})
        layout->addWidget(c, 1);
    layout->addWidget(m_clear);
}

void FilterBar::edit(const std::function<void(LabelFilter &, const QString &)> &apply, const QString &value)
{
    LabelFilter next = m_filter;
    apply(next, value);
    setFilter(next);
    Q_EMIT filterEdited(m_filter);
}

void FilterBar::setOptions(const FilterOptions &options)
{
    if (options == m_options)
        return;
    m_options = options;
    m_tenant->valuesModel()->setValues(options.tenants);
    m_model->valuesModel()->setValues(options.models);
    m_provider->valuesModel()->setValues(options.providers);
    m_prompt->valuesModel()->setValues(options.prompts);
    updateVersionChoices();
}

void FilterBar::updateVersionChoices()
{
    std::vector<std::string> versions;
    for (const std::string &key : m_options.promptVersions) {
        if (!m_filter.promptName || splitPromptKey(key).name == *m_filter.promptName)
            versions.push_back(key);
    }
    m_version->valuesModel()->setValues(versions);
}

void FilterBar::setFilter(const LabelFilter &filter)
{
    m_filter = filter;
    m_tenant->setCurrentValue(text(filter.tenant));
    m_model->setCurrentValue(text(filter.model));
    m_provider->setCurrentValue(text(filter.provider));
    m_prompt->setCurrentValue(text(filter.promptName));
    updateVersionChoices();
    m_version->setCurrentValue(filter.promptVersion && filter.promptName
                                   ? QString::fromStdString(promptKey(*filter.promptName, canonicalPromptVersion(*filter.promptVersion)))
                                   : QString());
    m_clear->setEnabled(!filter.empty());
}

} // namespace vigil::ui
