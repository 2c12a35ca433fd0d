#pragma once
// Light and dark palettes. "System" follows the platform theme (and its
// changes); Light and Dark pin the Fusion palettes. Colours that carry meaning
// (good, warning, bad, the outcome colours of the charts) come from here so
// they stay readable on both.

#include "util/thresholds.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace vigil::ui {

enum class ThemeMode { System, Light, Dark };

QString themeModeKey(ThemeMode mode); // "system", "light", "dark"
ThemeMode themeModeFromKey(const QString &key);

// Sets the application style and palette for `mode`.
void applyTheme(ThemeMode mode);

bool isDark(const QPalette &palette);

struct StatusColors
{
    QColor good, warning, bad, unknown;
    QColor bannerBackground, bannerText, bannerBorder;
};
StatusColors statusColors(const QPalette &palette);
QColor severityColor(Severity severity, const QPalette &palette);

// Series colours of the charts (the same in both themes, chosen to read on either).
QColor outcomeColor(int outcomeIndex);
QColor percentileColor(int which); // 0 = p50, 1 = p95, 2 = p99

} // namespace vigil::ui
