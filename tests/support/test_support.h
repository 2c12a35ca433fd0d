#pragma once
// Helpers shared by the test suites: temporary folders, files, and running
// the real vigilctl binary.

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <string>
#include <vector>

namespace vigil::test {

// A temporary folder removed at the end of the test.
class TempDir
{
public:
    TempDir();
    std::string path(const std::string &name) const;
    std::string root() const;

private:
    QTemporaryDir m_dir;
};

void writeFile(const std::string &path, const std::string &content);
void appendFile(const std::string &path, const std::string &content);
std::string readFile(const std::string &path);

// A valid NDJSON record line (without newline) with the given id and fields.
std::string recordLine(const std::string &requestId, long long tsMs = 1795745584123,
                       double latencyMs = 100, const std::string &tenant = "acme",
                       const std::string &outcome = "ok", const std::string &model = "gpt-4o-mini");

struct ProcessResult
{
    int exitCode = -1;
    bool crashed = false;
    std::string out;
    std::string err;
};

// Runs vigilctl with `args` and waits (up to `timeoutMs`).
ProcessResult runVigilctl(const QStringList &args, int timeoutMs = 120000,
                          const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
QString vigilctlPath();

// The JSON object a `--json` command printed; an empty object (and a test
// failure naming the text) when it is not one.
QJsonObject parseJsonObject(const std::string &text);

// Polls `condition` every `pollMs` until it holds or `timeoutMs` passed.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int pollMs = 100);

} // namespace vigil::test
