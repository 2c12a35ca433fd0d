#pragma once

#include "query/filter_options.h"
#include "store/labels.h"

#include <QWidget>

#include <functional>

class QToolButton;

namespace vigil::ui {

class SearchableCombo;

// Tenant, model, provider, prompt and prompt version pickers. Shows a
// LabelFilter and reports the one the user picks.
class FilterBar final : public QWidget
{
    Q_OBJECT

public:
    explicit FilterBar(QWidget *parent = nullptr);

    void setOptions(const FilterOptions &options);
    void setFilter(const LabelFilter &filter);
    LabelFilter filter() const { return m_filter; }

    SearchableCombo *tenantCombo() const { return m_tenant; }
    SearchableCombo *modelCombo() const { return m_model; }
    SearchableCombo *providerCombo() const { return m_provider; }
    SearchableCombo *promptCombo() const { return m_prompt; }
    SearchableCombo *versionCombo() const { return m_version; }

Q_SIGNALS:
    void filterEdited(const vigil::LabelFilter &filter);

private:
    void updateVersionChoices();
    void edit(const std::function<void(LabelFilter &, const QString &)> &apply, const QString &value);

    FilterOptions m_options;
    LabelFilter m_filter;
    SearchableCombo *m_tenant = nullptr;
    SearchableCombo *m_model = nullptr;
    SearchableCombo *m_provider = nullptr;
    SearchableCombo *m_prompt = nullptr;
    SearchableCombo *m_version = nullptr;
    QToolButton *m_clear = nullptr;
};

} // namespace vigil::ui
