#pragma once

#include <QString>

#include <vector>

namespace vigil {

struct RunbookProblem
{
    QString page; // file name ("latency_p95.md"), or the missing page's name
    int line = 0; // 0: the page as a whole
    QString message;
    QString text() const;
};

// A page must have these sections (headings, any level, case-insensitive):
// what it looks like in the console ("What you see"), "Likely causes",
// "First three steps" with at least three numbered items, how to confirm
// recovery ("Confirm recovery"), and when and whom to escalate
// ("Escalation"). Those are what an engineer new to the system needs at 2am.
std::vector<RunbookProblem> lintRunbookPage(const QString &fileName, const QString &text);

// Every alert type needs <type>.md in `folder` (a directory or a Qt resource
// folder); every page must pass lintRunbookPage; a page named after no alert
// type is a mistake too (README.md excepted).
std::vector<RunbookProblem> lintRunbookFolder(const QString &folder);

} // namespace vigil
