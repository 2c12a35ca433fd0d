#pragma once
// audit/: who did what to the store, and the proof that nothing stored was
// altered: the actor of an operator action, the canonical form and SHA-256 of
// records and operator-log entries, the hash chain's link rule.

#include <string>

namespace vigil {

// Who is making a change: the OS user and the host name.
struct Actor
{
    std::string user;
    std::string host;
};

Actor currentActor();

} // namespace vigil
