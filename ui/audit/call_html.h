#pragma once
// A model call as the detail pane shows it: the input as a conversation (one
// tinted block per system, user, assistant and tool turn), the output, the
// retrieval context as a list of documents, the downstream action and the
// raw attributes as pretty JSON, with search matches highlighted. Pure: HTML
// for a QTextBrowser, plus what was rendered (for the page and its tests).

#include "audit/search_query.h"
#include "record/record.h"

#include <QPalette>
#include <QString>
#include <QStringList>

#include <optional>

namespace vigil::ui {

struct CallHtml
{
    QString html;
    QStringList turnRoles;   // "system", "user", "assistant", "tool", or "input" for a plain string
    int documents = 0;       // retrieval context entries
    QString action;          // the action as one line ("email_sent", "ticket_updated {…}"); empty without one
    int highlighted = 0;     // search matches marked
};

CallHtml renderCallHtml(const Record &record, const std::optional<SearchQuery> &search, const QPalette &palette);

// `text` escaped for HTML with the query's matches wrapped in a highlight;
// adds the matches to `count`.
QString highlightedHtml(const std::string &text, const std::optional<SearchQuery> &search, int &count);

} // namespace vigil::ui
