{
  "targets": [
    {
      "target_name": "govchain_sm2",
      "sources": ["sm2_verify.cc"],
      "cflags_cc": ["-O2", "-std=c++17", "-fno-exceptions"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000"]
    }
  ]
}
