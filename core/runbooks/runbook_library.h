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

// Where the installed pages are (share/vigil/runbooks next to the
// executable's prefix, else the configured install prefix); empty when
// neither exists.
QString installedRunbookFolder();

// The link a notification carries: `baseUrl` + "<type>.md" when a base is
// configured ([alerts] runbook_base_url), else the installed page as a
// file:// URL.
std::string runbookUrl(AlertType type, const std::string &baseUrl);

QString runbookFileName(AlertType type); // "latency_p95.md"

} // namespace vigil
