#pragma once

#include "server/router.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <mutex>
#include <optional>
#include <vector>

namespace vigil {

// A bearer token as Vigil keeps it: only the SHA-256 of the secret.
struct TokenEntry
{
    QString name;
    QByteArray sha256;             // 32 raw bytes
    std::optional<QString> tenant; // bound: may only send this tenant's data
};

// The tokens `vigilctl serve` accepts: from the config and from a token file
// that is re-read when it changes (no restart). Presented tokens are hashed
// and compared with every known hash in constant time.
class TokenStore final : public http::TokenSource
{
public:
    TokenStore(std::vector<TokenEntry> fromConfig, QString tokenFile);

    // The entry for a presented secret, or nothing.
    std::optional<TokenEntry> authenticate(const QByteArray &secret);
    bool empty();
    bool hasTokens() override { return !empty(); }
    std::optional<std::pair<QString, std::optional<QString>>> lookup(const QByteArray &secret) override;
    // Re-reads the token file now; returns an error text (the old tokens stay) or empty.
    QString reload();

    // Token file format (TOML), one table per token:
    //   [[token]]
    //   name = "checkout-service"
    //   sha256 = "<64 hex digits>"   # or: token = "<the secret>", hashed on load
    //   tenant = "acme"              # optional binding
    static std::optional<std::vector<TokenEntry>> parseTokenFile(const QByteArray &text,
                                                                 const QString &fileName,
                                                                 QString &error);
    // Appends a new token to the file (creating it 0600), returns the secret once.
    static std::optional<QByteArray> addToken(const QString &tokenFile, const QString &name,
                                              const std::optional<QString> &tenant, QString &error);
    static QByteArray hash(const QByteArray &secret);

private:
    void reloadIfChanged();

    std::mutex m_mutex;
    std::vector<TokenEntry> m_fromConfig;
    std::vector<TokenEntry> m_fromFile;
    QString m_tokenFile;
    QDateTime m_fileModified;
    qint64 m_fileSize = -1;
    qint64 m_lastCheckMs = 0;
};

} // namespace vigil
