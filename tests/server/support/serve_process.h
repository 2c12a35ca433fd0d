#pragma once
// `vigilctl serve` as a child process: started on an ephemeral port (the
// port is read from its "listening on" line), signalled, killed with
// SIGKILL, restarted. Its stderr goes to a file, so a chatty access log
// never blocks it on a full pipe.

#include <QProcess>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <string>

namespace vigil::test {

class ServeProcess final
{
public:
    // `args` follow "serve"; add --listen 127.0.0.1:0 for an ephemeral port.
    // `inChild` runs in the forked child before exec (async-signal-safe only).
    ServeProcess(const QStringList &args, const std::string &logFile, std::function<void()> inChild = {},
                 const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    ~ServeProcess(); // SIGKILL if still running
    ServeProcess(const ServeProcess &) = delete;
    ServeProcess &operator=(const ServeProcess &) = delete;

    // Waits until it listens (true, port() set) or exits (false).
    bool waitUntilListening(int timeoutMs = 60000);
    std::uint16_t port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() != QProcess::NotRunning; }
    void sendSignal(int signal);
    void kill(); // SIGKILL and reap
    bool waitForExit(int timeoutMs);
    int exitCode() const { return m_process.exitCode(); }
    bool crashed() const { return m_process.exitStatus() == QProcess::CrashExit; }
    std::string log() const; // what this process wrote to stderr so far
    // Its peak resident memory (VmHWM) in bytes, 0 when it is not running.
    std::int64_t peakMemoryBytes() const;
    std::string out();       // its stdout, after it ended

private:
    QProcess m_process;
    std::string m_logFile;
    std::size_t m_logOffset = 0;
    std::uint16_t m_port = 0;
};

} // namespace vigil::test
