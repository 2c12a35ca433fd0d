#include "audit/call_html.h"

#include "audit/audit_record_json.h"
#include "util/theme.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::ui {

namespace {

QString hex(const QColor &c)
{
    return c.name(QColor::HexRgb);
}

QColor mix(const QColor &base, const QColor &tint, double amount)
{
    return QColor::fromRgbF(static_cast<float>(base.redF() * (1 - amount) + tint.redF() * amount),
                            static_cast<float>(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            static_cast<float>(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

QColor roleColor(const QString &role)
{
    if (role == QLatin1String("system"))
        return QColor(0x88, 0x88, 0x88);
    if (role == QLatin1String("user"))
        return QColor(0x3b, 0x82, 0xd6);
    if (role == QLatin1String("assistant"))
        return QColor(0x4c, 0x9a, 0x6a);
    if (role == QLatin1String("tool") || role == QLatin1String("function"))
        return QColor(0xe0, 0x8a, 0x1e);
    return QColor(0x8e, 0x5c, 0xc8);
}

QString pretty(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QStringLiteral("null");
}

// The text of a message's content: a string, or the text parts of a list.
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    if (content.isArray()) {
        QStringList parts;
        for (const QJsonValue &part : content.toArray()) {
            const QJsonObject o = part.toObject();
            if (part.isString())
                parts << part.toString();
            else if (o.contains(QLatin1String("text")))
                parts << o.value(QLatin1String("text")).toString();
            else
                parts << pretty(part);
        }
        return parts.join(QLatin1Char('\n'));
    }
    if (content.isNull() || content.isUndefined())
        return {};
    return pretty(content);
}

class Builder
{
public:
    Builder(const std::optional<SearchQuery> &search, const QPalette &palette) : m_search(search), m_palette(palette) {}

    void heading(const QString &title)
    {
        m_out.html += QStringLiteral("<h3 style=\"margin-top:14px; margin-bottom:4px;\">%1</h3>").arg(title.toHtmlEscaped());
    }
    void note(const QString &text)
    {
        m_out.html += QStringLiteral("<p style=\"color:%1;\"><i>%2</i></p>")
                          .arg(hex(m_palette.color(QPalette::PlaceholderText)), text.toHtmlEscaped());
    }
    // A tinted block with a small label over the text.
    void block(const QString &label, const QColor &tint, const QString &text, bool monospace)
    {
        const QColor background = mix(m_palette.color(QPalette::Base), tint, isDark(m_palette) ? 0.22 : 0.12);
        m_out.html += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"6\" "
                                     "style=\"margin-bottom:6px; border-left: 4px solid %1;\">"
                                     "<tr><td style=\"background-color:%2;\">"
                                     "<div style=\"color:%1; font-weight:bold; font-size:small;\">%3</div>"
                                     "<div style=\"white-space:pre-wrap;%4\">%5</div></td></tr></table>")
                          .arg(hex(tint.darker(isDark(m_palette) ? 70 : 110)), hex(background), label.toHtmlEscaped(),
                               monospace ? QStringLiteral(" font-family:monospace;") : QString(),
                               highlightedHtml(text.toStdString(), m_search, m_out.highlighted));
    }

    void conversation(const Record &r)
    {
        heading(QObject::tr("Input"));
        if (r.inputJson.empty()) {
            note(QObject::tr("No input was recorded."));
            return;
        }
        const QJsonValue input = storedJsonValue(r.inputJson);
        if (!input.isArray()) {
            m_out.turnRoles << QStringLiteral("input");
            block(QObject::tr("prompt"), roleColor(QStringLiteral("user")), contentText(input), false);
            return;
        }
        for (const QJsonValue &turn : input.toArray()) {
            const QJsonObject message = turn.toObject();
            QString role = message.value(QLatin1String("role")).toString();
            if (role.isEmpty())
                role = QStringLiteral("message");
            m_out.turnRoles << role;
            QString label = role;
            if (const QString name = message.value(QLatin1String("name")).toString(); !name.isEmpty())
                label += QStringLiteral(" · ") + name;
            if (const QString id = message.value(QLatin1String("tool_call_id")).toString(); !id.isEmpty())
                label += QStringLiteral(" · ") + id;
            QString text = turn.isObject() ? contentText(message.value(QLatin1String("content"))) : contentText(turn);
            if (message.contains(QLatin1String("tool_calls")))
                text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + QObject::tr("tool calls: ") +
                        pretty(message.value(QLatin1String("tool_calls")));
            block(label, roleColor(role), text, role == QLatin1String("tool"));
        }
    }

    void output(const Record &r)
    {
        heading(QObject::tr("Output"));
        if (!r.output) {
            note(r.outcome == Outcome::Ok ? QObject::tr("No output was recorded.")
                                          : QObject::tr("No output: the call ended as %1.")
                                                .arg(QString::fromUtf8(outcomeName(r.outcome).data())));
            return;
        }
        block(QObject::tr("assistant"), roleColor(QStringLiteral("assistant")), QString::fromStdString(*r.output), false);
    }

    void retrieval(const Record &r)
    {
        if (r.retrievalContextJson.empty() && !r.retrievalHits)
            return;
        const QJsonValue context = storedJsonValue(r.retrievalContextJson);
        const QJsonArray docs = context.isArray() ? context.toArray() : QJsonArray{context};
        heading(QObject::tr("Retrieval context (%1)").arg(r.retrievalContextJson.empty() ? 0 : docs.size()));
        if (r.retrievalContextJson.empty()) {
            note(QObject::tr("%n document(s) were retrieved; their text was not recorded.", nullptr,
                             static_cast<int>(r.retrievalHits.value_or(0))));
            return;
        }
        int number = 0;
        for (const QJsonValue &doc : docs) {
            ++m_out.documents;
            QString label = QObject::tr("document %1").arg(++number);
            QString text;
            if (doc.isObject()) {
                const QJsonObject o = doc.toObject();
                for (const char *key : {"id", "title", "source", "url"}) {
                    if (const QJsonValue v = o.value(QLatin1String(key)); !v.isUndefined())
                        label += QStringLiteral(" · ") + pretty(v);
                }
                for (const char *key : {"text", "content", "chunk", "page_content"}) {
                    if (o.value(QLatin1String(key)).isString()) {
                        text = o.value(QLatin1String(key)).toString();
                        break;
                    }
                }
                if (text.isEmpty())
                    text = pretty(doc);
            } else {
                text = pretty(doc);
            }
            block(label, QColor(0x8e, 0x5c, 0xc8), text, false);
        }
    }

    void action(const Record &r)
    {
        if (r.actionJson.empty())
            return;
        heading(QObject::tr("Downstream action"));
        const QJsonValue action = storedJsonValue(r.actionJson);
        if (action.isObject()) {
            const QJsonObject o = action.toObject();
            const QString type = o.value(QLatin1String("type")).toString();
            m_out.action = type.isEmpty() ? QString::fromStdString(r.actionJson)
                                          : type + QLatin1Char(' ') + QString::fromStdString(r.actionJson);
            block(type.isEmpty() ? QObject::tr("action") : type, QColor(0x7a, 0x5a, 0x44), pretty(action), true);
        } else {
            m_out.action = pretty(action);
            block(QObject::tr("action"), QColor(0x7a, 0x5a, 0x44), pretty(action), false);
        }
    }

    void attributes(const Record &r)
    {
        heading(QObject::tr("Attributes"));
        const QJsonValue attributes = storedJsonValue(r.attributesJson);
        if (r.attributesJson.empty() || (attributes.isObject() && attributes.toObject().isEmpty())) {
            note(QObject::tr("No other attributes."));
            return;
        }
        m_out.html += QStringLiteral("<pre>%1</pre>").arg(pretty(attributes).toHtmlEscaped());
    }

    CallHtml take() { return std::move(m_out); }

private:
    const std::optional<SearchQuery> &m_search;
    const QPalette &m_palette;
    CallHtml m_out;
};

} // namespace

QString highlightedHtml(const std::string &text, const std::optional<SearchQuery> &search, int &count)
{
    if (!search)
        return QString::fromStdString(text).toHtmlEscaped();
    QString html;
    std::size_t at = 0;
    for (const auto &[offset, length] : findMatches(text, *search)) {
        html += QString::fromUtf8(text.data() + at, static_cast<qsizetype>(offset - at)).toHtmlEscaped();
        html += QStringLiteral("<span style=\"background-color:#ffd84d; color:#000000;\">") +
                QString::fromUtf8(text.data() + offset, static_cast<qsizetype>(length)).toHtmlEscaped() +
                QStringLiteral("</span>");
        at = offset + length;
        ++count;
    }
    html += QString::fromUtf8(text.data() + at, static_cast<qsizetype>(text.size() - at)).toHtmlEscaped();
    return html;
}

CallHtml renderCallHtml(const Record &record, const std::optional<SearchQuery> &search, const QPalette &palette)
{
    Builder b(search, palette);
    b.conversation(record);
    b.output(record);
    b.retrieval(record);
    b.action(record);
    b.attributes(record);
    return b.take();
}

} // namespace vigil::ui
