#include "server/otlp/otlp_model.h"

#include <QByteArray>

#include <cmath>
#include <cstdio>

namespace vigil::otlp {

namespace {
void appendJsonString(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void appendJson(std::string &out, const AnyValue &v)
{
    switch (v.type) {
    case AnyValue::Type::Empty: out += "null"; break;
    case AnyValue::Type::String: appendJsonString(out, v.text); break;
    case AnyValue::Type::Bool: out += v.boolean ? "true" : "false"; break;
    case AnyValue::Type::Int: out += std::to_string(v.integer); break;
    case AnyValue::Type::Double:
        if (std::isfinite(v.number)) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g", v.number);
            out += buf;
        } else {
            out += "null";
        }
        break;
    case AnyValue::Type::Bytes:
        appendJsonString(out, QByteArray::fromStdString(v.text).toBase64().toStdString());
        break;
    case AnyValue::Type::Array:
        out += '[';
        for (std::size_t i = 0; i < v.array.size(); ++i) {
            if (i)
                out += ',';
            appendJson(out, v.array[i]);
        }
        out += ']';
        break;
    case AnyValue::Type::KvList:
        out += '{';
        for (std::size_t i = 0; i < v.kvlist.size(); ++i) {
            if (i)
                out += ',';
            appendJsonString(out, v.kvlist[i].key);
            out += ':';
            appendJson(out, v.kvlist[i].value);
        }
        out += '}';
        break;
    }
}
} // namespace

std::string AnyValue::toJson() const
{
    std::string out;
    appendJson(out, *this);
    return out;
}

std::string AnyValue::toText() const
{
    if (type == Type::String)
        return text;
    if (type == Type::Empty)
        return {};
    return toJson();
}

std::size_t TraceExport::spanCount() const
{
    std::size_t n = 0;
    for (const auto &r : resourceSpans)
        for (const auto &s : r.scopeSpans)
            n += s.spans.size();
    return n;
}

std::string toHex(const std::string &bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

} // namespace vigil::otlp
