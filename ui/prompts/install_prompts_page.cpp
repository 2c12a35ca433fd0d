#include "prompts/install_prompts_page.h"

#include "prompts/prompts_page.h"

#include "shell/main_window.h"

#include <QMenu>
#include <QMenuBar>

namespace vigil::ui {

PromptsPage *installPromptsPage(MainWindow &window)
{
    auto *page = new PromptsPage(window.context(), &window);
    window.addPage(page);
    QMenuBar *bar = window.menuBar();
    const QList<QAction *> menus = bar->actions();
    bar->insertMenu(menus.isEmpty() ? nullptr : menus.constLast(), page->menu()); // Help stays last
    QObject::connect(page, &PromptsPage::markersChanged, &window, [&window](const QList<ChartMarker> &markers) {
        window.setChartMarkers(QStringLiteral("prompts"), markers);
    });
    return page;
}

} // namespace vigil::ui
