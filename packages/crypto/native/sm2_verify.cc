// Native SM2 signature verification (GB/T 32918.2 with the default distinguishing ID) for govchain.
//
// Uses the OpenSSL that is statically linked into the node binary: the headers come from node's own include
// directory and the symbols resolve against the running node executable, so no second libcrypto is loaded
// and the version always matches. Inputs are raw (65-byte public key, 64-byte r||s); anything malformed
// verifies as false rather than throwing, because callers feed it untrusted transactions.
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#if OPENSSL_VERSION_MAJOR < 3
#error "govchain SM2 binding needs OpenSSL 3 headers (node's include/node/openssl)"
#endif

namespace {

constexpr size_t kPublicKeyBytes = 65;
constexpr size_t kSignatureBytes = 64;
constexpr size_t kCacheCapacity = 1024;
const char kDefaultId[] = "1234567812345678";

// Order n of the SM2 recommended curve, big-endian; r and s must lie in [1, n-1] (GB/T 32918.2 §7.1 B1-B2).
const unsigned char kOrder[32] = {
    0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x23};

bool InScalarRange(const unsigned char* v) {
  bool nonzero = false;
  for (int i = 0; i < 32; i++) nonzero |= v[i] != 0;
  return nonzero && std::memcmp(v, kOrder, 32) < 0;  // big-endian memcmp is numeric comparison
}

// DER INTEGER for a 32-byte unsigned big-endian value: strip leading zeros, prefix 0x00 if the top bit is set.
size_t DerInteger(const unsigned char* v, unsigned char* out) {
  size_t start = 0;
  while (start < 31 && v[start] == 0) start++;
  size_t len = 32 - start;
  bool pad = (v[start] & 0x80) != 0;
  out[0] = 0x02;
  out[1] = static_cast<unsigned char>(len + (pad ? 1 : 0));
  size_t pos = 2;
  if (pad) out[pos++] = 0;
  std::memcpy(out + pos, v + start, len);
  return pos + len;
}

// SEQUENCE { r, s }: at most 2 + 2 * 35 = 72 bytes, so the short length form always applies.
size_t DerSignature(const unsigned char* raw, unsigned char* out) {
  unsigned char body[70];
  size_t n = DerInteger(raw, body);
  n += DerInteger(raw + 32, body + n);
  out[0] = 0x30;
  out[1] = static_cast<unsigned char>(n);
  std::memcpy(out + 2, body, n);
  return n + 2;
}

// Per-instance state: SM3 fetched once, and an LRU of parsed public keys (validators see the same senders).
struct State {
  EVP_MD* sm3 = nullptr;
  std::list<std::pair<std::string, EVP_PKEY*>> lru;  // front = most recent
  std::unordered_map<std::string, std::list<std::pair<std::string, EVP_PKEY*>>::iterator> index;

  ~State() {
    for (auto& e : lru) EVP_PKEY_free(e.second);
    EVP_MD_free(sm3);
  }

  // Parsed key, or nullptr if the bytes are not a point on the SM2 curve (EC import checks that).
  EVP_PKEY* Key(const unsigned char* pub) {
    std::string k(reinterpret_cast<const char*>(pub), kPublicKeyBytes);
    auto it = index.find(k);
    if (it != index.end()) {
      lru.splice(lru.begin(), lru, it->second);
      return it->second->second;
    }
    if (pub[0] != 0x04) return nullptr;
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr);
    if (ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("SM2"), 0),
          OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<unsigned char*>(pub),
                                            kPublicKeyBytes),
          OSSL_PARAM_construct_end()};
      if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
    }
    EVP_PKEY_CTX_free(ctx);
    if (pkey == nullptr) return nullptr;  // invalid keys are not cached: junk must not evict real senders
    lru.emplace_front(std::move(k), pkey);
    index.emplace(lru.front().first, lru.begin());
    if (lru.size() > kCacheCapacity) {
      index.erase(lru.back().first);
      EVP_PKEY_free(lru.back().second);
      lru.pop_back();
    }
    return pkey;
  }

  bool Verify(const unsigned char* pub, size_t pub_len, const unsigned char* msg, size_t msg_len,
              const unsigned char* sig, size_t sig_len) {
    if (pub_len != kPublicKeyBytes || sig_len != kSignatureBytes) return false;
    if (!InScalarRange(sig) || !InScalarRange(sig + 32)) return false;
    EVP_PKEY* pkey = Key(pub);
    if (pkey == nullptr) {
      ERR_clear_error();
      return false;
    }
    unsigned char der[72];
    size_t der_len = DerSignature(sig, der);
    bool ok = false;
    EVP_MD_CTX* mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new(pkey, nullptr);
    // The ID must be set before DigestVerifyInit: OpenSSL computes Z from it (with no ID it uses an empty one).
    if (mctx != nullptr && pctx != nullptr &&
        EVP_PKEY_CTX_set1_id(pctx, kDefaultId, sizeof(kDefaultId) - 1) > 0) {
      EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
      ok = EVP_DigestVerifyInit(mctx, nullptr, sm3, nullptr, pkey) == 1 &&
           EVP_DigestVerify(mctx, der, der_len, msg, msg_len) == 1;
    }
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
    // Failed verifications leave errors queued; Node's own crypto calls must not see them.
    ERR_clear_error();
    return ok;
  }
};

void FinalizeState(napi_env, void* data, void*) { delete static_cast<State*>(data); }

State* GetState(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<State*>(data);
}

bool GetBytes(napi_env env, napi_value value, const unsigned char** data, size_t* len) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(env, value, &type, &length, &raw, nullptr, nullptr) != napi_ok) return false;
  if (type != napi_uint8_array) return false;
  // An empty Uint8Array may have a null data pointer; OpenSSL accepts (ptr, 0) only with a valid pointer.
  static const unsigned char kEmpty[1] = {0};
  *data = length == 0 ? kEmpty : static_cast<const unsigned char*>(raw);
  *len = length;
  return true;
}

napi_value ThrowType(napi_env env, const char* message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return nullptr;
}

// verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean
napi_value VerifyOne(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const unsigned char *pub, *msg, *sig;
  size_t pub_len, msg_len, sig_len;
  if (argc != 3 || !GetBytes(env, argv[0], &pub, &pub_len) || !GetBytes(env, argv[1], &msg, &msg_len) ||
      !GetBytes(env, argv[2], &sig, &sig_len)) {
    return ThrowType(env, "verify(publicKey, message, signature) takes three Uint8Arrays");
  }
  napi_value result;
  napi_get_boolean(env, GetState(env)->Verify(pub, pub_len, msg, msg_len, sig, sig_len), &result);
  return result;
}

// verifyBatch(flat: Uint8Array[]): Uint8Array — flat holds publicKey, message, signature for each item in turn;
// the result has one byte per item, 1 for valid. One call for the whole batch amortizes the N-API crossing.
napi_value VerifyBatch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool is_array = false;
  if (argc != 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    return ThrowType(env, "verifyBatch(items) takes an array of Uint8Arrays");
  }
  uint32_t length = 0;
  napi_get_array_length(env, argv[0], &length);
  if (length % 3 != 0) return ThrowType(env, "verifyBatch: array length must be a multiple of 3");
  size_t count = length / 3;
  void* out_data = nullptr;
  napi_value buffer, result;
  if (napi_create_arraybuffer(env, count, &out_data, &buffer) != napi_ok) return nullptr;
  napi_create_typedarray(env, napi_uint8_array, count, buffer, 0, &result);
  unsigned char* out = static_cast<unsigned char*>(out_data);
  State* state = GetState(env);
  for (size_t i = 0; i < count; i++) {
    napi_value parts[3];
    const unsigned char* ptr[3];
    size_t len[3];
    for (uint32_t j = 0; j < 3; j++) {
      napi_get_element(env, argv[0], static_cast<uint32_t>(i * 3 + j), &parts[j]);
      if (!GetBytes(env, parts[j], &ptr[j], &len[j])) {
        return ThrowType(env, "verifyBatch: every element must be a Uint8Array");
      }
    }
    out[i] = state->Verify(ptr[0], len[0], ptr[1], len[1], ptr[2], len[2]) ? 1 : 0;
  }
  return result;
}

// opensslVersion(): string — the OpenSSL actually in use, for diagnostics.
napi_value OpensslVersion(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  if (OPENSSL_version_major() < 3) {
    napi_throw_error(env, "ERR_GOVCHAIN_OPENSSL", "node's OpenSSL is older than 3.0; SM2 distid is unavailable");
    return nullptr;
  }
  State* state = new State();
  state->sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (state->sm3 == nullptr) {
    delete state;
    ERR_clear_error();
    napi_throw_error(env, "ERR_GOVCHAIN_OPENSSL", "node's OpenSSL has no SM3");
    return nullptr;
  }
  napi_set_instance_data(env, state, FinalizeState, nullptr);
  napi_property_descriptor props[] = {
      {"verify", nullptr, VerifyOne, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"verifyBatch", nullptr, VerifyBatch, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opensslVersion", nullptr, OpensslVersion, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
