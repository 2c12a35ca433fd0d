#include "server/token_store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <toml++/toml.h>

#include <sys/stat.h>

namespace vigil {

namespace {

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

TokenStore::TokenStore(std::vector<TokenEntry> fromConfig, QString tokenFile)
    : m_fromConfig(std::move(fromConfig)), m_tokenFile(std::move(tokenFile))
{
    if (!m_tokenFile.isEmpty())
        reload();
}

QByteArray TokenStore::hash(const QByteArray &secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
}

std::optional<TokenEntry> TokenStore::authenticate(const QByteArray &secret)
{
    reloadIfChanged();
    const QByteArray presented = hash(secret);
    std::lock_guard lock(m_mutex);
    std::optional<TokenEntry> match;
    // Compare with every entry, not stopping early, so timing says nothing.
    for (const auto *list : {&m_fromConfig, &m_fromFile}) {
        for (const TokenEntry &entry : *list) {
            if (constantTimeEqual(presented, entry.sha256) && !match)
                match = entry;
        }
    }
    return match;
}

std::optional<std::pair<QString, std::optional<QString>>> TokenStore::lookup(const QByteArray &secret)
{
    if (auto entry = authenticate(secret))
        return std::make_pair(entry->name, entry->tenant);
    return std::nullopt;
}

bool TokenStore::empty()
{
    reloadIfChanged();
    std::lock_guard lock(m_mutex);
    return m_fromConfig.empty() && m_fromFile.empty();
}

void TokenStore::reloadIfChanged()
{
    if (m_tokenFile.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        std::lock_guard lock(m_mutex);
        if (now - m_lastCheckMs < 1000)
            return;
        m_lastCheckMs = now;
    }
    const QFileInfo info(m_tokenFile);
    if (info.lastModified() != m_fileModified || info.size() != m_fileSize)
        reload();
}

QString TokenStore::reload()
{
    QFile file(m_tokenFile);
    const QFileInfo info(m_tokenFile);
    if (!file.open(QIODevice::ReadOnly)) {
        std::lock_guard lock(m_mutex);
        m_fileModified = info.lastModified();
        m_fileSize = info.size();
        return m_tokenFile + QStringLiteral(": cannot read the token file");
    }
    QString error;
    auto entries = parseTokenFile(file.readAll(), m_tokenFile, error);
    std::lock_guard lock(m_mutex);
    m_fileModified = info.lastModified();
    m_fileSize = info.size();
    if (!entries)
        return error; // keep the last good tokens
    m_fromFile = std::move(*entries);
    return {};
}

std::optional<std::vector<TokenEntry>> TokenStore::parseTokenFile(const QByteArray &text,
                                                                  const QString &fileName,
                                                                  QString &error)
{
    toml::table root;
    const std::string name = fileName.toStdString();
    try {
        root = toml::parse(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), name);
    } catch (const toml::parse_error &e) {
        error = QStringLiteral("%1:%2: %3").arg(fileName).arg(e.source().begin.line).arg(QString::fromUtf8(e.description().data(), static_cast<qsizetype>(e.description().size())));
        return std::nullopt;
    }
    std::vector<TokenEntry> out;
    const toml::array *tokens = root["token"].as_array();
    if (!tokens)
        return out;
    for (const toml::node &node : *tokens) {
        const toml::table *t = node.as_table();
        const int line = static_cast<int>(node.source().begin.line);
        if (!t) {
            error = QStringLiteral("%1:%2: each [[token]] must be a table").arg(fileName).arg(line);
            return std::nullopt;
        }
        TokenEntry entry;
        entry.name = QString::fromStdString((*t)["name"].value_or(std::string("token@") + std::to_string(line)));
        if (auto hex = (*t)["sha256"].value<std::string>()) {
            entry.sha256 = QByteArray::fromHex(QByteArray::fromStdString(*hex));
            if (entry.sha256.size() != 32) {
                error = QStringLiteral("%1:%2: sha256 must be 64 hex digits").arg(fileName).arg(line);
                return std::nullopt;
            }
        } else if (auto secret = (*t)["token"].value<std::string>()) {
            if (secret->size() < 16) {
                error = QStringLiteral("%1:%2: a token must be at least 16 characters").arg(fileName).arg(line);
                return std::nullopt;
            }
            entry.sha256 = hash(QByteArray::fromStdString(*secret));
        } else {
            error = QStringLiteral("%1:%2: a [[token]] needs sha256 (or token)").arg(fileName).arg(line);
            return std::nullopt;
        }
        if (auto tenant = (*t)["tenant"].value<std::string>())
            entry.tenant = QString::fromStdString(*tenant);
        out.push_back(std::move(entry));
    }
    return out;
}

std::optional<QByteArray> TokenStore::addToken(const QString &tokenFile, const QString &name,
                                               const std::optional<QString> &tenant, QString &error)
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), 8);
    const QByteArray secret = "vgl_" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QFile file(tokenFile);
    const bool existed = file.exists();
    if (!file.open(QIODevice::Append | QIODevice::WriteOnly)) {
        error = tokenFile + QStringLiteral(": cannot write the token file");
        return std::nullopt;
    }
    if (!existed)
        ::chmod(QFile::encodeName(tokenFile).constData(), 0600);
    QByteArray entry = "\n[[token]]\nname = \"" + name.toUtf8() + "\"\nsha256 = \"" + hash(secret).toHex() + "\"\n";
    if (tenant)
        entry += "tenant = \"" + tenant->toUtf8() + "\"\n";
    entry += "created = \"" + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8() + "\"\n";
    if (file.write(entry) != entry.size() || !file.flush()) {
        error = tokenFile + QStringLiteral(": writing the token failed");
        return std::nullopt;
    }
    return secret;
}

} // namespace vigil
