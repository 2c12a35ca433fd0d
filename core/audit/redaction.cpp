#include "audit/redaction.h"

#include "record/record.h"
#include "store/write_batch.h"

#include <QByteArray>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

#include <stdexcept>

namespace vigil {

namespace {

bool luhnValid(const QString &candidate)
{
    int sum = 0, digits = 0;
    bool doubleIt = false;
    for (qsizetype i = candidate.size() - 1; i >= 0; --i) {
        const QChar c = candidate[i];
        if (!c.isDigit())
            continue;
        int d = c.digitValue();
        if (doubleIt) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        doubleIt = !doubleIt;
        ++digits;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
}

struct Pattern
{
    QString kind;
    QRegularExpression regex;
    bool needsLuhn = false;
};

} // namespace

struct Redactor::Impl
{
    RedactionRules rules;
    std::vector<Pattern> patterns;

    QString replacement(const QString &kind, const QString &match) const
    {
        if (rules.mode == RedactionRules::Mode::Mask)
            return QStringLiteral("[REDACTED:%1]").arg(kind);
        // A keyed hash: equal secrets stay matchable without being readable.
        const QByteArray mac = QMessageAuthenticationCode::hash(match.toUtf8(), QByteArray::fromStdString(rules.hashKey),
                                                                QCryptographicHash::Sha256);
        return QStringLiteral("[%1:%2]").arg(kind, QString::fromLatin1(mac.toHex().left(16)));
    }
};

Redactor::Redactor(RedactionRules rules) : m_impl(std::make_unique<Impl>())
{
    m_impl->rules = std::move(rules);
    const auto options = QRegularExpression::UseUnicodePropertiesOption;
    auto add = [&](const QString &kind, const QString &pattern, bool luhn = false) {
        QRegularExpression re(pattern, options);
        re.optimize();
        m_impl->patterns.push_back({kind, re, luhn});
    };
    const RedactionRules &r = m_impl->rules;
    // Order matters: the most specific shapes first.
    if (r.jwts)
        add(QStringLiteral("jwt"), QStringLiteral(R"(\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})"));
    if (r.bearer)
        add(QStringLiteral("bearer"), QStringLiteral(R"((?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,})"));
    if (r.apiKeys)
        add(QStringLiteral("api_key"),
            QStringLiteral(R"(\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|)"
                           R"(xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}))"));
    if (r.emails)
        add(QStringLiteral("email"), QStringLiteral(R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)"));
    if (r.cards)
        add(QStringLiteral("card"), QStringLiteral(R"(\b\d(?:[ -]?\d){12,18}\b)"), true);
    if (r.phones)
        add(QStringLiteral("phone"),
            QStringLiteral(R"((?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\b\d{2,4})[ .-]\d{3,4}[ .-]\d{3,4}\b)"));
    for (const auto &[name, pattern] : r.custom) {
        QRegularExpression re(QString::fromStdString(pattern), options);
        if (!re.isValid())
            throw std::invalid_argument("redaction pattern \"" + name + "\" does not compile: " +
                                        re.errorString().toStdString() + " at offset " +
                                        std::to_string(re.patternErrorOffset()));
        re.optimize();
        m_impl->patterns.push_back({QString::fromStdString(name), re, false});
    }
}

Redactor::~Redactor() = default;

bool Redactor::redact(std::string &text) const
{
    if (text.empty())
        return false;
    QString s = QString::fromStdString(text);
    bool changed = false;
    for (const Pattern &p : m_impl->patterns) {
        QString out;
        qsizetype last = 0;
        bool any = false;
        auto it = p.regex.globalMatch(s);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            if (p.needsLuhn && !luhnValid(m.captured(0)))
                continue;
            out += QStringView(s).mid(last, m.capturedStart(0) - last);
            out += m_impl->replacement(p.kind, m.captured(0));
            last = m.capturedEnd(0);
            any = true;
        }
        if (any) {
            out += QStringView(s).mid(last);
            s = std::move(out);
            changed = true;
        }
    }
    if (changed)
        text = s.toStdString();
    return changed;
}

void Redactor::redact(Record &r) const
{
    bool changed = false;
    for (std::string *field : {&r.inputJson, &r.retrievalContextJson, &r.actionJson, &r.attributesJson, &r.user})
        changed = redact(*field) || changed;
    if (r.output)
        changed = redact(*r.output) || changed;
    if (changed) {
        r.redacted = true;
        r.rowHash.clear(); // recomputed from the redacted form
    }
}

void Redactor::redact(WriteBatch &batch) const
{
    for (Record &r : batch.records)
        redact(r);
    for (QuarantineEntry &q : batch.quarantined) {
        redact(q.rawPrefix);
        redact(q.error.detail);
    }
}

} // namespace vigil
