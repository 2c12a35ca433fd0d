#pragma once

namespace vigil::ui {

class MainWindow;

// Adds the Alerts and Costs pages to the window, with the AlertCenter they
// share (the console's evaluator, tray notification, status-bar counts and
// the alert markers on the charts).
void installAlertPages(MainWindow &window);

} // namespace vigil::ui
