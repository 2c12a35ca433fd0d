#pragma once

#include <QColor>
#include <QString>

#include <cstdint>

namespace vigil::ui {

// A vertical line at an instant on every time chart: a prompt activation, an
// alert firing, an ingest. Later issues add their own kinds.
struct ChartMarker
{
    std::int64_t atMs = 0;
    QString label;
    QColor color;

    bool operator==(const ChartMarker &) const = default;
};

} // namespace vigil::ui
