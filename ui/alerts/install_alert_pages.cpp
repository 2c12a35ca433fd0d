#include "alerts/install_alert_pages.h"

#include "alerts/alert_center.h"
#include "alerts/alerts_page.h"
#include "costs/costs_page.h"
#include "shell/main_window.h"

namespace vigil::ui {

void installAlertPages(MainWindow &window)
{
    auto *center = new AlertCenter(window);
    window.addPage(new AlertsPage(*center, window.context(), &window));
    window.addPage(new CostsPage(*center, window.context(), &window));
}

} // namespace vigil::ui
