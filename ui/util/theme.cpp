#include "util/theme.h"

#include <QApplication>
#include <QStyleFactory>

#include <array>

namespace vigil::ui {

namespace {

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::WindowText, QColor(0x1d, 0x21, 0x27));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf0, 0xf2, 0xf5));
    p.setColor(QPalette::Text, QColor(0x1d, 0x21, 0x27));
    p.setColor(QPalette::Button, QColor(0xe9, 0xeb, 0xef));
    p.setColor(QPalette::ButtonText, QColor(0x1d, 0x21, 0x27));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xe8));
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x8f));
    p.setColor(QPalette::Link, QColor(0x1f, 0x5f, 0xc6));
    p.setColor(QPalette::Mid, QColor(0xc8, 0xcc, 0xd2));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0x9f, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9a, 0x9f, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0x9f, 0xa6));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x23, 0x26, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1a, 0x1c, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x29, 0x2f));
    p.setColor(QPalette::Text, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::Button, QColor(0x2e, 0x32, 0x38));
    p.setColor(QPalette::ButtonText, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x32, 0x36, 0x3c));
    p.setColor(QPalette::ToolTipText, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x90, 0x99));
    p.setColor(QPalette::Link, QColor(0x6f, 0xa8, 0xff));
    p.setColor(QPalette::Mid, QColor(0x44, 0x49, 0x51));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x46));
    p.setColor(QPalette::Dark, QColor(0x15, 0x17, 0x1a));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6c, 0x72, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6c, 0x72, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6c, 0x72, 0x7a));
    return p;
}

} // namespace

QString themeModeKey(ThemeMode mode)
{
    switch (mode) {
    case ThemeMode::Light: return QStringLiteral("light");
    case ThemeMode::Dark: return QStringLiteral("dark");
    case ThemeMode::System: break;
    }
    return QStringLiteral("system");
}

ThemeMode themeModeFromKey(const QString &key)
{
    if (key == QStringLiteral("light"))
        return ThemeMode::Light;
    if (key == QStringLiteral("dark"))
        return ThemeMode::Dark;
    return ThemeMode::System;
}

void applyTheme(ThemeMode mode)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    switch (mode) {
    case ThemeMode::Light: QApplication::setPalette(lightPalette()); break;
    case ThemeMode::Dark: QApplication::setPalette(darkPalette()); break;
    case ThemeMode::System:
        // A palette that sets nothing hands the colours back to the platform
        // theme, which then follows the desktop's light/dark switch.
        QApplication::setPalette(QPalette());
        break;
    }
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

StatusColors statusColors(const QPalette &palette)
{
    if (isDark(palette))
        return {QColor(0x5c, 0xc8, 0x7a), QColor(0xf0, 0xb4, 0x3c), QColor(0xff, 0x6b, 0x6b),
                palette.color(QPalette::WindowText), QColor(0x4a, 0x3a, 0x16), QColor(0xff, 0xe3, 0xa8),
                QColor(0x8a, 0x6a, 0x20)};
    return {QColor(0x1e, 0x8e, 0x3e), QColor(0xb0, 0x6a, 0x00), QColor(0xc6, 0x28, 0x28),
            palette.color(QPalette::WindowText), QColor(0xff, 0xf4, 0xd6), QColor(0x5a, 0x40, 0x00),
            QColor(0xe8, 0xc2, 0x6a)};
}

QColor severityColor(Severity severity, const QPalette &palette)
{
    const StatusColors c = statusColors(palette);
    switch (severity) {
    case Severity::Good: return c.good;
    case Severity::Warning: return c.warning;
    case Severity::Bad: return c.bad;
    case Severity::Unknown: break;
    }
    return c.unknown;
}

QColor outcomeColor(int outcomeIndex)
{
    // ok, error, timeout, fallback, refused, blocked
    static const std::array<QColor, 6> colors = {QColor(0x4c, 0x9a, 0x6a), QColor(0xd9, 0x3b, 0x3b),
                                                 QColor(0xf0, 0x8c, 0x28), QColor(0xd4, 0xb1, 0x06),
                                                 QColor(0x8e, 0x5c, 0xc8), QColor(0x7a, 0x5a, 0x44)};
    return colors[static_cast<std::size_t>(std::clamp(outcomeIndex, 0, 5))];
}

QColor percentileColor(int which)
{
    static const std::array<QColor, 3> colors = {QColor(0x3b, 0x82, 0xd6), QColor(0xe0, 0x8a, 0x1e),
                                                 QColor(0xd0, 0x3c, 0x5a)};
    return colors[static_cast<std::size_t>(std::clamp(which, 0, 2))];
}

} // namespace vigil::ui
