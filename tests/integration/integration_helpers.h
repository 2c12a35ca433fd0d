#pragma once
// Small helpers the integration tests share: running `vigilctl ingest` and
// `--json` commands against a store, gzip, and record lines with a payload.

#include "test_support.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::test {

struct IngestRun
{
    ProcessResult process;
    QJsonObject summary; // the --json summary (empty when none was printed)
};

// `vigilctl ingest --db DB --json [extra...] FILE...`
IngestRun ingestFiles(const std::string &db, const std::vector<std::string> &files,
                      const QStringList &extra = {});

// Runs a vigilctl command that must succeed with --json, and returns its document.
QJsonObject vigilctlJson(const QStringList &args);

// One gzip member holding `data`.
std::string gzipMember(const std::string &data);

// A valid record line (no newline) with an `input` text of `inputBytes` bytes.
std::string recordLineWithInput(const std::string &requestId, std::size_t inputBytes);

QString q(const std::string &text);

} // namespace vigil::test
