/**
 * Protocol-wide bounds. Every variable-length field has one, so a decoder never allocates more than these allow
 * and a hostile peer cannot make a node hold unbounded data.
 */
export const CHAIN_ID_BYTES_MAX = 64;
export const NAME_BYTES_MAX = 64; // contract and method names
export const TX_ARGS_BYTES_MAX = 64 * 1024;
export const TX_BYTES_MAX = 128 * 1024;
export const CERTIFICATE_BYTES_MAX = 4096;
export const PUBLIC_KEY_BYTES = 65;
export const SIGNATURE_BYTES = 64;
export const HASH_BYTES = 32;
export const NONCE_BYTES = 16;
export const BLOCK_TXS_MAX = 10_000;
export const BLOCK_BYTES_MAX = 16 * 1024 * 1024;
export const RECEIPT_RESULT_BYTES_MAX = 64 * 1024;
export const RECEIPT_EVENTS_MAX = 64;
export const ERROR_MESSAGE_BYTES_MAX = 1024;
/** A tx may not claim to stay valid for longer than this; it bounds how long replay state must be consulted. */
export const TX_TTL_MS_MAX = 24 * 60 * 60 * 1000;
