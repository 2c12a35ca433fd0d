#include "alerts/secret_resolver.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace vigil {

SecretResolver::SecretResolver(QObject *parent) : QObject(parent) {}

QString SecretResolver::keychainService()
{
    return QStringLiteral(VIGIL_APP_ID);
}

QString SecretResolver::environmentOverride(const QString &entry)
{
    QString name = QStringLiteral("VIGIL_SECRET_");
    for (const QChar c : entry)
        name += c.isLetterOrNumber() && c.unicode() < 128 ? c.toUpper() : QLatin1Char('_');
    return name;
}

void SecretResolver::resolve(const std::string &reference, Callback done)
{
    const QString ref = QString::fromStdString(reference);
    if (ref.startsWith(QLatin1String("env:"))) {
        const QString name = ref.mid(4);
        const QByteArray value = qgetenv(name.toLocal8Bit().constData());
        if (value.isEmpty())
            done(std::nullopt, QStringLiteral("the environment variable %1 is not set").arg(name));
        else
            done(value, QString());
        return;
    }
    if (!ref.startsWith(QLatin1String("keychain:"))) {
        done(std::nullopt, QStringLiteral("\"%1\" is not a secret reference (env:NAME or keychain:ENTRY)").arg(ref));
        return;
    }
    const QString entry = ref.mid(9);
    const QString override = environmentOverride(entry);
    if (const QByteArray value = qgetenv(override.toLocal8Bit().constData()); !value.isEmpty()) {
        done(value, QString());
        return;
    }
    // One answer, whichever comes first: the keychain's or the timeout's.
    auto answered = std::make_shared<bool>(false);
    auto finish = [answered, done](std::optional<QByteArray> value, QString error) {
        if (*answered)
            return;
        *answered = true;
        done(std::move(value), std::move(error));
    };
    auto *job = new QKeychain::ReadPasswordJob(keychainService(), this);
    job->setKey(entry);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file instead
    connect(job, &QKeychain::Job::finished, this, [finish, entry, override](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError) {
            finish(static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData(), QString());
            return;
        }
        finish(std::nullopt, QStringLiteral("the keychain has no usable entry \"%1\" (%2); set %3 instead")
                                 .arg(entry, j->errorString(), override));
    });
    QTimer::singleShot(m_keychainTimeoutMs, this, [finish, entry, override, ms = m_keychainTimeoutMs] {
        finish(std::nullopt, QStringLiteral("the keychain did not answer within %1 s for \"%2\" (is a secret service "
                                            "running and unlocked?); set %3 instead")
                                 .arg(ms / 1000.0)
                                 .arg(entry, override));
    });
    job->start();
}

} // namespace vigil
