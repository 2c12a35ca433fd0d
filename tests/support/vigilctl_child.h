#pragma once
// The real vigilctl binary as a child process that runs while the test goes
// on: for follow mode, signals, SIGKILL at random moments and resource limits.

#include "test_support.h"

#include <QProcess>
#include <QStringList>

#include <functional>

namespace vigil::test {

class VigilctlChild final
{
public:
    // `inChild` runs in the forked child just before exec (setrlimit, signal
    // dispositions): only async-signal-safe calls there.
    explicit VigilctlChild(const QStringList &args, std::function<void()> inChild = {});
    ~VigilctlChild(); // kills the child if it still runs
    VigilctlChild(const VigilctlChild &) = delete;
    VigilctlChild &operator=(const VigilctlChild &) = delete;

    bool started() const { return m_started; }
    bool running() const;
    qint64 pid() const;
    void sendSignal(int signal);
    // True once the child has installed a handler for `signal` (from
    // /proc/PID/status): a signal sent earlier would kill it instead.
    bool catchesSignal(int signal) const;
    void kill(); // SIGKILL, then reaps the child
    // Waits up to `timeoutMs` for the child to end on its own; true when it has.
    bool waitForExit(int timeoutMs);
    // Exit status and everything it printed; call after it ended.
    ProcessResult result();

private:
    QProcess m_process;
    bool m_started = false;
};

} // namespace vigil::test
