#include "alerts/alert_config_source.h"

#include "config/config.h"

#include <QFileInfo>
#include <QTimer>

namespace vigil::ui {

AlertConfigSource::AlertConfigSource(QObject *parent) : QObject(parent)
{
    // Editors often replace the file (write a new one, rename it over the
    // old): the watch then ends, so the file is watched again on each change.
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        QTimer::singleShot(200, this, &AlertConfigSource::reload); // let the writer finish
    });
    reload();
}

void AlertConfigSource::setConfigFile(const QString &path)
{
    m_requested = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    reload();
}

void AlertConfigSource::reload()
{
    QString file = m_requested;
    if (file.isEmpty() && QFileInfo::exists(QStringLiteral("vigil.toml")))
        file = QFileInfo(QStringLiteral("vigil.toml")).absoluteFilePath();
    m_file = file;
    watch();

    std::optional<VigilConfig> config;
    std::vector<ConfigProblem> problems;
    if (!file.isEmpty())
        config = loadConfig(file.toStdString(), problems);
    QStringList texts;
    for (const ConfigProblem &p : problems)
        texts << QString::fromStdString(p.text());
    const bool failed = !file.isEmpty() && !config;
    if (failed && texts.isEmpty())
        texts << tr("%1: the file could not be read").arg(file);
    if (texts != m_problems) {
        m_problems = texts;
        Q_EMIT problemsChanged();
    }
    if (failed && m_loaded)
        return; // keep the last good rules
    m_setup = alertSetupFor(failed ? std::nullopt : config);
    m_loaded = true;
    Q_EMIT setupChanged();
}

void AlertConfigSource::watch()
{
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_file.isEmpty() && QFileInfo::exists(m_file))
        m_watcher.addPath(m_file);
}

} // namespace vigil::ui
