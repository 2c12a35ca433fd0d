#pragma once

namespace vigil::ui {

class MainWindow;
class PromptsPage;

// Adds the Prompts page to the window: its navigation entry, its menu (before
// Help), and its activation markers on every chart (source "prompts").
PromptsPage *installPromptsPage(MainWindow &window);

} // namespace vigil::ui
