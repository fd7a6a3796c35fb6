# Native SM2 verifier. Compiles against node's own OpenSSL headers (node-gyp's include path, include/node/openssl)
# and links no libcrypto: the symbols resolve against the node executable at load time.
{
  "targets": [
    {
      "target_name": "govchain_sm2",
      "sources": ["sm2_verify.cc"],
      "cflags_cc": ["-O2", "-std=c++17", "-fno-exceptions", "-Wall", "-Wextra"],
      # EC_GROUP_precompute_mult is deprecated in OpenSSL 3.0 but still the only way to reach its wNAF tables.
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000", "OPENSSL_SUPPRESS_DEPRECATED"]
    }
  ]
}
