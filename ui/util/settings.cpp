#include "util/settings.h"

namespace vigil::ui {

std::unique_ptr<QSettings> openSettings()
{
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("vigil"),
                                       QStringLiteral("vigil"));
}

} // namespace vigil::ui
