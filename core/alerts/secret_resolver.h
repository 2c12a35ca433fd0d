#pragma once
// Where the secrets of the destinations come from: never vigil.toml, which
// only says where they are kept.
//   env:NAME        the environment variable NAME
//   keychain:ENTRY  the environment variable VIGIL_SECRET_<ENTRY> when set
//                   (servers, containers, tests), else the system keychain
//                   (QtKeychain, service "dev.vigil.Vigil", key ENTRY) when a
//                   secret service is running.
// A keychain that is missing, locked or silent is an error the caller
// reports and retries later; it never blocks: the lookup gives up after a
// timeout.

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <string>

namespace vigil {

class SecretResolver final : public QObject
{
    Q_OBJECT
public:
    // The secret, or nothing and why not.
    using Callback = std::function<void(std::optional<QByteArray> secret, QString error)>;

    explicit SecretResolver(QObject *parent = nullptr);

    // Calls `done` exactly once on this object's thread: at once for the
    // environment, when the keychain answers (or times out) otherwise.
    void resolve(const std::string &reference, Callback done);

    void setKeychainTimeoutMs(int ms) { m_keychainTimeoutMs = ms; }

    static QString keychainService();
    // "keychain:slack-webhook" -> "VIGIL_SECRET_SLACK_WEBHOOK".
    static QString environmentOverride(const QString &entry);

private:
    int m_keychainTimeoutMs = 5000;
};

} // namespace vigil
