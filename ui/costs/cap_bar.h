#pragma once

#include "alerts/spend_today.h"

#include <QWidget>

#include <optional>

namespace vigil::ui {

// Spend against a cap as a horizontal bar: filled to the share spent, in
// the good colour below the warning share, amber from it and red at the cap;
// a tick at the warning share and a hollow marker at the projected
// end-of-day spend. Without a cap the bar is empty and says so.
class CapBar final : public QWidget
{
    Q_OBJECT

public:
    explicit CapBar(QWidget *parent = nullptr);

    void setValues(double spentUsd, std::optional<double> capUsd, double warnShare, std::optional<double> projectedUsd);
    CapLevel level() const { return m_level; }
    QColor fillColor() const;
    double share() const; // spent / cap; 0 without a cap

    QSize sizeHint() const override { return {240, 20}; }
    QSize minimumSizeHint() const override { return {80, 16}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_spent = 0;
    std::optional<double> m_cap;
    double m_warnShare = 0.8;
    std::optional<double> m_projected;
    CapLevel m_level = CapLevel::Ok;
};

} // namespace vigil::ui
