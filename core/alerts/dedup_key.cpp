#include "alerts/dedup_key.h"

#include <QCryptographicHash>

namespace vigil {

std::string alertDedupKey(const std::string &instance, const std::string &rule, const std::string &group)
{
    std::string key = "vigil/";
    if (!instance.empty())
        key += instance + "/";
    key += rule;
    if (!group.empty())
        key += "/" + group;
    if (key.size() <= kMaxDedupKeyLength)
        return key;
    const QByteArray hash = QCryptographicHash::hash(QByteArray::fromStdString(key), QCryptographicHash::Sha256).toHex();
    return key.substr(0, kMaxDedupKeyLength - 17) + "~" + hash.left(16).toStdString();
}

} // namespace vigil
