#include "audit/actor.h"

#include <QString>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace vigil {

Actor currentActor()
{
    Actor actor;
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        actor.user = pw->pw_name;
    else
        actor.user = "uid" + std::to_string(::geteuid());
    actor.host = QSysInfo::machineHostName().toStdString();
    if (actor.host.empty())
        actor.host = "unknown-host";
    return actor;
}

} // namespace vigil
