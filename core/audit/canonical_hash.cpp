#include "audit/canonical_hash.h"

#include "audit/operator_log_entry.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace vigil {

std::string sha256(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char *>(digest), length);
}

namespace {
void put64(std::string &out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
} // namespace

void CanonicalWriter::null()
{
    m_out += '\0';
}

void CanonicalWriter::integer(std::int64_t v)
{
    m_out += '\1';
    put64(m_out, static_cast<std::uint64_t>(v));
}

void CanonicalWriter::real(double v)
{
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    m_out += '\2';
    put64(m_out, bits);
}

void CanonicalWriter::text(std::string_view v)
{
    m_out += '\3';
    put64(m_out, v.size());
    m_out.append(v);
}

std::string recordRowHash(const Record &r, bool redacted)
{
    CanonicalWriter w;
    w.integer(1); // canonical form version
    w.text(r.requestId);
    w.integer(r.tsMs);
    w.text(r.tenant);
    w.text(r.model);
    w.text(r.provider);
    w.text(r.promptName);
    w.text(r.promptVersion);
    w.real(r.latencyMs);
    w.integer(static_cast<int>(r.outcome));
    w.optional(r.inputTokens);
    w.optional(r.outputTokens);
    w.optional(r.costUsd);
    w.integer(static_cast<int>(r.costSource));
    w.optional(r.retrievalHits);
    w.textOrNull(r.errorType);
    w.textOrNull(r.user);
    w.textOrNull(r.traceId);
    w.textOrNull(r.sessionId);
    w.textOrNull(r.inputJson);
    if (r.output)
        w.text(*r.output);
    else
        w.null();
    w.textOrNull(r.retrievalContextJson);
    w.textOrNull(r.actionJson);
    w.textOrNull(r.attributesJson);
    w.integer(redacted ? 1 : 0);
    return sha256(w.bytes());
}

std::string batchLinkContent(std::vector<std::string> hashes)
{
    std::string ordered;
    ordered.reserve(hashes.size() * kHashSize);
    for (const auto &h : hashes)
        ordered += h;
    std::sort(hashes.begin(), hashes.end());
    std::string sorted;
    sorted.reserve(hashes.size() * kHashSize);
    for (const auto &h : hashes)
        sorted += h;
    return sha256(ordered) + sha256(sorted);
}

std::string operatorEntryHash(const OperatorLogEntry &e)
{
    CanonicalWriter w;
    w.text("vigil-operator-v1");
    w.integer(e.id);
    w.integer(e.at);
    w.text(e.actor);
    w.text(e.host);
    w.text(e.action.action);
    w.text(e.action.subject);
    auto opt = [&w](const std::optional<std::string> &v) { v ? w.text(*v) : w.null(); };
    opt(e.action.fromValue);
    opt(e.action.toValue);
    opt(e.action.reason);
    opt(e.action.details);
    return sha256(w.bytes());
}

std::string chainLinkHash(const std::string &previousHash, std::int64_t seq, int kind, std::int64_t ref,
                          std::int64_t items, const std::string &content)
{
    CanonicalWriter w;
    w.text("vigil-chain-v1");
    w.text(previousHash);
    w.integer(seq);
    w.integer(kind);
    w.integer(ref);
    w.integer(items);
    w.text(content);
    return sha256(w.bytes());
}

} // namespace vigil
