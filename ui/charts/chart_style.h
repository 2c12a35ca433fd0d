#pragma once

class QChart;
class QPalette;

namespace vigil::ui {

// Colours a chart from the palette (background, text, grid) so it follows
// the light or dark theme; series keep their own colours.
void styleChart(QChart *chart, const QPalette &palette);

} // namespace vigil::ui
