#pragma once
// runbooks/: one markdown page per alert type (runbooks/<alert_type>.md in
// the repository), bundled into core as Qt resources and installed to
// share/vigil/runbooks, opened from every alert; and the lint CI runs on them.

#include "alerts/alert_type.h"

#include <QString>

#include <optional>
#include <string>

namespace vigil {

// The page of `type` as shipped with this build (the bundled resource).
std::optional<QString> bundledRunbook(AlertType type);
QString bundledRunbookFolder(); // ":/vigil/runbooks"

// Where the pages are on disk: share/vigil/runbooks next to the executable's
// prefix, else under the configured install prefix, else (a build that was
// never installed) the source tree's runbooks/; empty when none exists.
QString installedRunbookFolder();

// The link a notification carries: `baseUrl` + "<type>.md" when a base is
// configured ([alerts] runbook_base_url), else the installed page as a
// file:// URL.
std::string runbookUrl(AlertType type, const std::string &baseUrl);

QString runbookFileName(AlertType type); // "latency_p95.md"

} // namespace vigil
