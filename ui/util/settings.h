#pragma once
// The console's QSettings. vigil and vigilctl run with an empty organisation
// name (so both find the same data folder); QSettings would then write under
// "Unknown Organization", so the file is named explicitly: vigil/vigil.conf in
// the platform config folder.

#include <QSettings>

#include <memory>

namespace vigil::ui {

std::unique_ptr<QSettings> openSettings();

namespace settings_keys {
inline constexpr char kGeometry[] = "window/geometry";
inline constexpr char kWindowState[] = "window/state";
inline constexpr char kPage[] = "window/page";
inline constexpr char kLastStore[] = "store/last";
inline constexpr char kRange[] = "view/range";
inline constexpr char kTheme[] = "view/theme";
} // namespace settings_keys

} // namespace vigil::ui
