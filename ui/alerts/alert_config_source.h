#pragma once

#include "alerts/alert_setup.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>

namespace vigil::ui {

// The alert rules and cost caps the console runs with, read where vigilctl
// reads them: the file given (vigil --config), else ./vigil.toml when there is
// one, else the shipped default config. The file is watched: an edit is
// picked up, and an edit with a mistake is reported (file:line: problem)
// while the last good rules stay in force.
class AlertConfigSource final : public QObject
{
    Q_OBJECT

public:
    explicit AlertConfigSource(QObject *parent = nullptr);

    // Empty: ./vigil.toml when present, else the shipped default. Reloads.
    void setConfigFile(const QString &path);
    QString configFile() const { return m_file; } // in use; empty: the shipped default
    const AlertSetup &setup() const { return m_setup; }
    // Every mistake of the last read ("vigil.toml:12: ..."); empty when it was read.
    QStringList problems() const { return m_problems; }
    bool usingLastGood() const { return !m_problems.isEmpty(); }
    void reload();

Q_SIGNALS:
    void setupChanged();    // new rules are in force
    void problemsChanged(); // a read failed (or succeeded again)

private:
    void watch();

    QString m_requested;
    QString m_file;
    AlertSetup m_setup;
    QStringList m_problems;
    QFileSystemWatcher m_watcher;
    bool m_loaded = false;
};

} // namespace vigil::ui
