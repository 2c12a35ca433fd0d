#pragma once

#include "alerts/alert_records.h"
#include "pages/page.h"

#include <QPointer>

#include <map>
#include <memory>
#include <optional>

class QGridLayout;
class QLabel;
class QPushButton;
class QTableWidget;

namespace vigil::ui {

class AlertCenter;
class Banner;
class CapBar;
class CapEditDialog;
struct AlertSnapshot;

// Spend today against the caps: the day's total against the daily ceiling
// and each tenant against its cap as bars (amber from the warning share, red
// at the cap), the projected end-of-day spend at the last hour's rate, and
// the caps with where they are set and when they were last reviewed
// ("review overdue" past 92 days), each editable.
class CostsPage final : public Page
{
    Q_OBJECT

public:
    CostsPage(AlertCenter &center, ConsoleContext &context, QWidget *parent = nullptr);
    ~CostsPage() override;

    QString pageId() const override { return QStringLiteral("costs"); }
    QString title() const override { return tr("Costs"); }
    QIcon icon() const override;
    bool isLoading() const override;

    // What is on screen, for tests.
    CapBar *dailyBar() const { return m_dailyBar; }
    CapBar *tenantBar(const QString &tenant) const;
    QStringList tenantsShown() const;
    QString dailyText() const;
    QString projectionText() const;
    QTableWidget *capsTable() const { return m_caps; }
    QString reviewText() const; // the overdue reviews, one a line

    CapEditDialog *openCapEditor(CapScope scope, const QString &tenant);
    // Stores a cap (off the UI thread); capSaved follows.
    void saveCap(CapScope scope, const QString &tenant, double usd, const QDate &reviewedOn, const QString &reason);
    void resetCap(CapScope scope, const QString &tenant);

Q_SIGNALS:
    void capSaved(bool ok, const QString &message);

protected:
    void refresh() override;

private:
    void show();
    void showTenants(const AlertSnapshot &s);
    void showCaps(const AlertSnapshot &s);
    std::optional<double> currentCap(CapScope scope, const QString &tenant) const;

    AlertCenter &m_center;
    std::shared_ptr<const AlertSnapshot> m_shown;
    Banner *m_banner = nullptr;
    QLabel *m_heading = nullptr;
    CapBar *m_dailyBar = nullptr;
    QLabel *m_daily = nullptr;
    QLabel *m_projection = nullptr;
    QWidget *m_tenantsBox = nullptr;
    QGridLayout *m_tenantGrid = nullptr;
    std::map<QString, CapBar *> m_tenantBars;
    QTableWidget *m_caps = nullptr;
    QLabel *m_reviews = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_reset = nullptr;
    QPointer<CapEditDialog> m_dialog;
    int m_saving = 0;
};

} // namespace vigil::ui
