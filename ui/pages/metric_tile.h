#pragma once

#include "util/thresholds.h"

#include <QFrame>

class QLabel;

namespace vigil::ui {

// One headline number of the overview: a caption, the value coloured by its
// severity, and a line about how it changed.
class MetricTile final : public QFrame
{
    Q_OBJECT

public:
    explicit MetricTile(const QString &caption, QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    QString captionText() const;
    void setValue(const QString &value, Severity severity);
    void setDetail(const QString &detail);
    QString valueText() const;
    QString detailText() const;
    Severity severity() const { return m_severity; }

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void applyColours();

    QLabel *m_caption = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_detail = nullptr;
    Severity m_severity = Severity::Unknown;
};

} // namespace vigil::ui
