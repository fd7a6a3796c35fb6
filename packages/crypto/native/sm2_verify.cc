// Native SM2 signature verification (GB/T 32918.2, default distinguishing ID 1234567812345678) for govchain.
//
// Uses the OpenSSL that is statically linked into the node binary: the headers come from node's own include
// directory and the symbols resolve against the running node executable, so no second libcrypto is loaded and
// the version always matches. Inputs are raw (65-byte public key, 64-byte r||s); anything malformed verifies
// as false rather than throwing, because callers feed it untrusted transactions.
//
// Two implementations, both OpenSSL arithmetic:
//  - verify / verifyBatch (production): §7.1 of the standard written out over OpenSSL's EC and BN primitives,
//    so that the expensive scalar multiplications can use precomputed tables — one for the generator G and,
//    for senders seen repeatedly, one per public key (OpenSSL's wNAF precomputation, reached by making the key
//    the generator of a copy of the group). sG + tP then needs about 16 doublings instead of 256, which makes
//    verification about twice as fast as OpenSSL's own SM2 verify.
//  - verifyReference: OpenSSL's complete SM2 verifier via EVP_DigestVerify with EVP_PKEY_CTX_set1_id. Slower;
//    kept so tests can check the production path against OpenSSL's own implementation on every input.
#include <node_api.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include <cstring>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#if OPENSSL_VERSION_MAJOR < 3
#error "govchain SM2 binding needs OpenSSL 3 headers (node's include/node/openssl)"
#endif

namespace {

constexpr size_t kPublicKeyBytes = 65;
constexpr size_t kSignatureBytes = 64;
const char kDefaultId[] = "1234567812345678";
constexpr size_t kIdBytes = sizeof(kDefaultId) - 1;

// Keys whose decoded point and Z value are kept (a few hundred bytes each).
constexpr size_t kKeyCapacity = 4096;
// Keys that also keep a precomputed table (about 80 KB each, so at most ~20 MB; measured as RSS growth).
constexpr size_t kTableCapacity = 256;
// A table costs about two table-less verifications to build and makes later ones about three times faster;
// waiting for the fourth use keeps one-off senders from paying for it and bounds rebuilds when more senders
// are active than there are table slots.
constexpr int kTableAfterUses = 4;

struct GroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
using GroupPtr = std::unique_ptr<EC_GROUP, GroupFree>;
using PointPtr = std::unique_ptr<EC_POINT, PointFree>;

// Least-recently-used map from 65-byte keys to V. Evicted values are destroyed (their deleters free OpenSSL
// objects); the evicted key is reported so dependent state can follow.
template <typename V>
class Lru {
 public:
  explicit Lru(size_t capacity) : capacity_(capacity) {}

  V* Get(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    items_.splice(items_.begin(), items_, it->second);
    return &it->second->second;
  }

  V* Peek(const std::string& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // Inserts an absent key; returns the key evicted to make room, or an empty string.
  std::string Insert(const std::string& key, V value) {
    items_.emplace_front(key, std::move(value));
    index_.emplace(key, items_.begin());
    if (items_.size() <= capacity_) return std::string();
    std::string evicted = std::move(items_.back().first);
    index_.erase(evicted);
    items_.pop_back();
    return evicted;
  }

  void Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    items_.erase(it->second);
    index_.erase(it);
  }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, V>> items_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

struct KeyEntry {
  PointPtr point;
  unsigned char z[32];
  int uses = 0;
};

class Verifier {
 public:
  // Returns nullptr (after clearing OpenSSL's error queue) if the group or SM3 is unavailable.
  static Verifier* Create() {
    std::unique_ptr<Verifier> v(new Verifier());
    return v->Init() ? v.release() : nullptr;
  }

  ~Verifier() {
    EVP_MD_CTX_free(md_ctx_);
    EVP_MD_free(sm3_);
    BN_free(zero_);
    BN_CTX_free(bn_);
  }

  bool Verify(const unsigned char* pub, size_t pub_len, const unsigned char* msg, size_t msg_len,
              const unsigned char* sig, size_t sig_len) {
    bool ok = VerifyUnchecked(pub, pub_len, msg, msg_len, sig, sig_len);
    // Failed operations leave errors queued; Node's own crypto calls must not see them.
    ERR_clear_error();
    return ok;
  }

 private:
  Verifier() : keys_(kKeyCapacity), tables_(kTableCapacity) {}

  bool Init() {
    bn_ = BN_CTX_new();
    group_.reset(EC_GROUP_new_by_curve_name(NID_sm2));
    sm3_ = EVP_MD_fetch(nullptr, "SM3", nullptr);
    md_ctx_ = EVP_MD_CTX_new();
    if (bn_ == nullptr || group_ == nullptr || sm3_ == nullptr || md_ctx_ == nullptr) return false;
    if (EC_GROUP_precompute_mult(group_.get(), bn_) != 1) return false;
    zero_ = BN_new();
    if (zero_ == nullptr) return false;
    BN_zero(zero_);
    order_ = EC_GROUP_get0_order(group_.get());
    // ENTL || ID || a || b || xG || yG: the key-independent prefix of every Z value (GB/T 32918.2 §5.5).
    z_prefix_[0] = static_cast<unsigned char>((kIdBytes * 8) >> 8);
    z_prefix_[1] = static_cast<unsigned char>((kIdBytes * 8) & 0xff);
    std::memcpy(z_prefix_ + 2, kDefaultId, kIdBytes);
    BN_CTX_start(bn_);
    BIGNUM* p = BN_CTX_get(bn_);
    BIGNUM* a = BN_CTX_get(bn_);
    BIGNUM* b = BN_CTX_get(bn_);
    BIGNUM* gx = BN_CTX_get(bn_);
    BIGNUM* gy = BN_CTX_get(bn_);
    bool ok = gy != nullptr && EC_GROUP_get_curve(group_.get(), p, a, b, bn_) == 1 &&
              EC_POINT_get_affine_coordinates(group_.get(), EC_GROUP_get0_generator(group_.get()), gx, gy, bn_) == 1 &&
              BN_bn2binpad(a, z_prefix_ + 18, 32) == 32 && BN_bn2binpad(b, z_prefix_ + 50, 32) == 32 &&
              BN_bn2binpad(gx, z_prefix_ + 82, 32) == 32 && BN_bn2binpad(gy, z_prefix_ + 114, 32) == 32;
    BN_CTX_end(bn_);
    return ok;
  }

  // Z = SM3(prefix || xA || yA), e = SM3(Z || M).
  bool Digest(const unsigned char* a, size_t a_len, const unsigned char* b, size_t b_len, unsigned char* out) {
    unsigned int len = 0;
    return EVP_DigestInit_ex2(md_ctx_, sm3_, nullptr) == 1 && EVP_DigestUpdate(md_ctx_, a, a_len) == 1 &&
           EVP_DigestUpdate(md_ctx_, b, b_len) == 1 && EVP_DigestFinal_ex(md_ctx_, out, &len) == 1 && len == 32;
  }

  KeyEntry* Entry(const std::string& key, const unsigned char* pub) {
    if (KeyEntry* e = keys_.Get(key)) return e;
    if (pub[0] != 0x04) return nullptr;  // only the uncompressed form; oct2point would also take others
    PointPtr point(EC_POINT_new(group_.get()));
    // oct2point refuses coordinates ≥ p and points off the curve.
    if (point == nullptr || EC_POINT_oct2point(group_.get(), point.get(), pub, kPublicKeyBytes, bn_) != 1) {
      return nullptr;
    }
    KeyEntry entry;
    entry.point = std::move(point);
    if (!Digest(z_prefix_, sizeof(z_prefix_), pub + 1, kPublicKeyBytes - 1, entry.z)) return nullptr;
    std::string evicted = keys_.Insert(key, std::move(entry));
    if (!evicted.empty()) tables_.Erase(evicted);  // invalid keys are never inserted, so junk cannot evict
    return keys_.Peek(key);
  }

  // A copy of the group whose generator is the key's point, with OpenSSL's wNAF table precomputed for it.
  GroupPtr BuildTable(const EC_POINT* point) {
    GroupPtr g(EC_GROUP_dup(group_.get()));
    if (g == nullptr ||
        EC_GROUP_set_generator(g.get(), point, order_, EC_GROUP_get0_cofactor(group_.get())) != 1 ||
        EC_GROUP_precompute_mult(g.get(), bn_) != 1) {
      return nullptr;
    }
    return g;
  }

  // k·(generator of g) using g's precomputed table. The zero-scalar second point keeps OpenSSL on its wNAF
  // path: with a lone generator scalar it would take the constant-time ladder, which ignores the table and is
  // meant for secret scalars (these are public).
  bool MulGenerator(const EC_GROUP* g, EC_POINT* out, const BIGNUM* k) {
    const EC_POINT* points[1] = {EC_GROUP_get0_generator(group_.get())};
    const BIGNUM* scalars[1] = {zero_};
    return EC_POINTs_mul(g, out, k, 1, points, scalars, bn_) == 1;
  }

  bool VerifyUnchecked(const unsigned char* pub, size_t pub_len, const unsigned char* msg, size_t msg_len,
                       const unsigned char* sig, size_t sig_len) {
    if (pub_len != kPublicKeyBytes || sig_len != kSignatureBytes) return false;
    std::string key(reinterpret_cast<const char*>(pub), kPublicKeyBytes);
    KeyEntry* entry = Entry(key, pub);
    if (entry == nullptr) return false;
    const EC_GROUP* table = nullptr;
    if (GroupPtr* t = tables_.Get(key)) {
      table = t->get();
    } else if (++entry->uses >= kTableAfterUses) {
      GroupPtr built = BuildTable(entry->point.get());
      if (built != nullptr) {
        table = built.get();
        std::string evicted = tables_.Insert(key, std::move(built));
        // A key that loses its table must earn it again.
        if (KeyEntry* e = evicted.empty() ? nullptr : keys_.Peek(evicted)) e->uses = 0;
      }
    }
    unsigned char e_bytes[32];
    if (!Digest(entry->z, sizeof(entry->z), msg, msg_len, e_bytes)) return false;

    BN_CTX_start(bn_);
    BIGNUM* r = BN_CTX_get(bn_);
    BIGNUM* s = BN_CTX_get(bn_);
    BIGNUM* t = BN_CTX_get(bn_);
    BIGNUM* e = BN_CTX_get(bn_);
    BIGNUM* x1 = BN_CTX_get(bn_);
    PointPtr sum(EC_POINT_new(group_.get()));
    PointPtr tp(EC_POINT_new(group_.get()));
    bool ok = false;
    if (x1 != nullptr && sum != nullptr && tp != nullptr && BN_bin2bn(sig, 32, r) != nullptr &&
        BN_bin2bn(sig + 32, 32, s) != nullptr && BN_bin2bn(e_bytes, 32, e) != nullptr &&
        // B1, B2: r, s ∈ [1, n-1]
        !BN_is_zero(r) && BN_cmp(r, order_) < 0 && !BN_is_zero(s) && BN_cmp(s, order_) < 0 &&
        // B5: t = (r + s) mod n, t ≠ 0
        BN_mod_add(t, r, s, order_, bn_) == 1 && !BN_is_zero(t)) {
      // B6: (x1, y1) = sG + tP
      bool multiplied;
      if (table != nullptr) {
        multiplied = MulGenerator(group_.get(), sum.get(), s) && MulGenerator(table, tp.get(), t) &&
                     EC_POINT_add(group_.get(), sum.get(), sum.get(), tp.get(), bn_) == 1;
      } else {
        multiplied = EC_POINT_mul(group_.get(), sum.get(), s, entry->point.get(), t, bn_) == 1;
      }
      // B7: R = (e + x1) mod n must equal r; the point at infinity has no affine x and fails here.
      ok = multiplied && EC_POINT_get_affine_coordinates(group_.get(), sum.get(), x1, nullptr, bn_) == 1 &&
           BN_mod_add(x1, x1, e, order_, bn_) == 1 && BN_cmp(x1, r) == 0;
    }
    BN_CTX_end(bn_);
    return ok;
  }

  BN_CTX* bn_ = nullptr;
  GroupPtr group_;
  const BIGNUM* order_ = nullptr;
  BIGNUM* zero_ = nullptr;
  EVP_MD* sm3_ = nullptr;
  EVP_MD_CTX* md_ctx_ = nullptr;
  unsigned char z_prefix_[2 + kIdBytes + 4 * 32];
  Lru<KeyEntry> keys_;
  Lru<GroupPtr> tables_;
};

// ---- Reference path: OpenSSL's own SM2 verifier with the distinguishing ID set on the context. ----

bool InScalarRange(const unsigned char* v, const BIGNUM* order) {
  BIGNUM* x = BN_bin2bn(v, 32, nullptr);
  bool ok = x != nullptr && !BN_is_zero(x) && BN_cmp(x, order) < 0;
  BN_free(x);
  return ok;
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

bool VerifyReference(const EC_GROUP* group, const unsigned char* pub, size_t pub_len, const unsigned char* msg,
                     size_t msg_len, const unsigned char* sig, size_t sig_len) {
  if (pub_len != kPublicKeyBytes || sig_len != kSignatureBytes || pub[0] != 0x04) return false;
  const BIGNUM* order = EC_GROUP_get0_order(group);
  if (!InScalarRange(sig, order) || !InScalarRange(sig + 32, order)) return false;
  unsigned char body[70];
  size_t body_len = DerInteger(sig, body);
  body_len += DerInteger(sig + 32, body + body_len);
  unsigned char der[72] = {0x30, static_cast<unsigned char>(body_len)};
  std::memcpy(der + 2, body, body_len);

  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* import = EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr);
  if (import != nullptr && EVP_PKEY_fromdata_init(import) == 1) {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("SM2"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<unsigned char*>(pub), pub_len),
        OSSL_PARAM_construct_end()};
    if (EVP_PKEY_fromdata(import, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(import);
  bool ok = false;
  if (pkey != nullptr) {
    EVP_MD_CTX* mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new(pkey, nullptr);
    // The ID must be set before DigestVerifyInit: OpenSSL derives Z from it (with none it uses an empty ID).
    if (mctx != nullptr && pctx != nullptr && EVP_PKEY_CTX_set1_id(pctx, kDefaultId, kIdBytes) > 0) {
      EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
      ok = EVP_DigestVerifyInit(mctx, nullptr, EVP_sm3(), nullptr, pkey) == 1 &&
           EVP_DigestVerify(mctx, der, body_len + 2, msg, msg_len) == 1;
    }
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(pkey);
  }
  ERR_clear_error();
  return ok;
}

// ---- N-API glue ----

struct State {
  std::unique_ptr<Verifier> verifier;
  GroupPtr group;  // for the reference path's range checks
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
  // An empty Uint8Array may have a null data pointer; hashing (ptr, 0) still needs a valid pointer.
  static const unsigned char kEmpty[1] = {0};
  *data = length == 0 ? kEmpty : static_cast<const unsigned char*>(raw);
  *len = length;
  return true;
}

napi_value ThrowType(napi_env env, const char* message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return nullptr;
}

// Reads (publicKey, message, signature) arguments; throws TypeError and returns false if they are not Uint8Arrays.
bool ReadTriple(napi_env env, napi_callback_info info, const unsigned char** ptr, size_t* len) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  for (size_t i = 0; i < 3; i++) {
    if (argc != 3 || !GetBytes(env, argv[i], &ptr[i], &len[i])) {
      ThrowType(env, "expected (publicKey, message, signature) as three Uint8Arrays");
      return false;
    }
  }
  return true;
}

napi_value Boolean(napi_env env, bool value) {
  napi_value result;
  napi_get_boolean(env, value, &result);
  return result;
}

// verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean
napi_value VerifyOne(napi_env env, napi_callback_info info) {
  const unsigned char* ptr[3];
  size_t len[3];
  if (!ReadTriple(env, info, ptr, len)) return nullptr;
  return Boolean(env, GetState(env)->verifier->Verify(ptr[0], len[0], ptr[1], len[1], ptr[2], len[2]));
}

// verifyReference(publicKey, message, signature): boolean — OpenSSL's EVP SM2 verifier, for tests.
napi_value VerifyRef(napi_env env, napi_callback_info info) {
  const unsigned char* ptr[3];
  size_t len[3];
  if (!ReadTriple(env, info, ptr, len)) return nullptr;
  return Boolean(env, VerifyReference(GetState(env)->group.get(), ptr[0], len[0], ptr[1], len[1], ptr[2], len[2]));
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
  Verifier* verifier = GetState(env)->verifier.get();
  for (size_t i = 0; i < count; i++) {
    const unsigned char* ptr[3];
    size_t len[3];
    for (uint32_t j = 0; j < 3; j++) {
      napi_value part;
      napi_get_element(env, argv[0], static_cast<uint32_t>(i * 3 + j), &part);
      if (!GetBytes(env, part, &ptr[j], &len[j])) return ThrowType(env, "verifyBatch: every element must be a Uint8Array");
    }
    out[i] = verifier->Verify(ptr[0], len[0], ptr[1], len[1], ptr[2], len[2]) ? 1 : 0;
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
  std::unique_ptr<State> state(new State());
  state->verifier.reset(Verifier::Create());
  state->group.reset(EC_GROUP_new_by_curve_name(NID_sm2));
  ERR_clear_error();
  if (state->verifier == nullptr || state->group == nullptr) {
    napi_throw_error(env, "ERR_GOVCHAIN_OPENSSL", "node's OpenSSL lacks the SM2 curve or SM3");
    return nullptr;
  }
  napi_set_instance_data(env, state.release(), FinalizeState, nullptr);
  napi_property_descriptor props[] = {
      {"verify", nullptr, VerifyOne, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"verifyBatch", nullptr, VerifyBatch, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"verifyReference", nullptr, VerifyRef, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opensslVersion", nullptr, OpensslVersion, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
