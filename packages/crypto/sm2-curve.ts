/**
 * Elliptic curves for SM2 as @noble/curves Weierstrass point types. The recommended curve of GB/T 32918.5 is
 * the only one the chain uses; the curve is a parameter of the SM2 code only so that the standard's
 * known-answer examples on its 256-bit test curve (GB/T 32918.2/.4 Annex A, draft-shen-sm2-ecdsa) can run too.
 */
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';

export type Sm2Point = WeierstrassPoint<bigint>;

export interface Sm2CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  Gx: bigint;
  Gy: bigint;
}

export interface Sm2Curve extends Sm2CurveParams {
  readonly Point: WeierstrassPointCons<bigint>;
  /** a || b || Gx || Gy as 32-byte big-endian integers: the curve part of every Z value, computed once. */
  readonly zCurveBytes: Uint8Array;
}

export function defineSm2Curve(params: Sm2CurveParams): Sm2Curve {
  const Point = weierstrass({ ...params, h: 1n });
  const zCurveBytes = new Uint8Array(128);
  [params.a, params.b, params.Gx, params.Gy].forEach((v, i) => zCurveBytes.set(bigintTo32Bytes(v), i * 32));
  return { ...params, Point, zCurveBytes };
}

export function bigintTo32Bytes(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The recommended 256-bit curve, GB/T 32918.5-2017 (OpenSSL name `SM2`, OID 1.2.156.10197.1.301). */
export const SM2_CURVE: Sm2Curve = defineSm2Curve({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});
