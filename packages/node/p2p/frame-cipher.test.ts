import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getSuite, type SuiteName } from '@govchain/crypto';
import { FrameOpener, FrameSealer, deriveDirectionKeys, frameHmac } from './frame-cipher.ts';
import { P2pError } from './reasons.ts';
import { RecordReader } from './records.ts';

const SUITES: SuiteName[] = ['gm', 'intl'];

function pair(suite: SuiteName): { sealer: FrameSealer; opener: FrameOpener; reverse: FrameOpener } {
  const s = getSuite(suite);
  const secret = s.randomBytes(32);
  const transcript = s.randomBytes(32);
  const i2r = deriveDirectionKeys(s, secret, transcript, 'i2r');
  const r2i = deriveDirectionKeys(s, secret, transcript, 'r2i');
  return { sealer: new FrameSealer(suite, i2r), opener: new FrameOpener(suite, i2r), reverse: new FrameOpener(suite, r2i) };
}

/** Split sealed buffers back into the record the reader would hand out. */
function asRecord(buffers: Buffer[]): { header: Buffer; body: Buffer } {
  const reader = new RecordReader();
  reader.push(Buffer.concat(buffers));
  const record = reader.next()!;
  return { header: record.header, body: record.body };
}

function refusedWith(code: string, fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof P2pError && err.code === code);
}

for (const suite of SUITES) {
  test(`frames sealed in order open to their plaintexts, including ones given in several parts (${suite})`, () => {
    const { sealer, opener } = pair(suite);
    for (let i = 0; i < 5; i++) {
      const r = asRecord(sealer.seal([Buffer.from([i]), Buffer.from(`message ${i}`)]));
      assert.deepEqual(opener.open(r.header, r.body), Buffer.concat([Buffer.from([i]), Buffer.from(`message ${i}`)]));
    }
  });

  test(`a frame with one flipped bit anywhere, header included, is refused as tampered (${suite})`, () => {
    const { sealer, opener } = pair(suite);
    const sealed = Buffer.concat(sealer.seal([Buffer.from('attack at dawn')]));
    // A refused frame does not advance the opener, so one opener serves every flip.
    for (let offset = 0; offset < sealed.length; offset++) {
      const copy = Buffer.from(sealed);
      copy[offset]! ^= 0x80;
      refusedWith('P2P_FRAME_TAMPERED', () => opener.open(copy.subarray(0, 5), copy.subarray(5)));
    }
    assert.deepEqual(opener.open(sealed.subarray(0, 5), sealed.subarray(5)), Buffer.from('attack at dawn'));
  });

  test(`a replayed or reordered authentic frame is refused as replayed, and is never decrypted (${suite})`, () => {
    const { sealer, opener } = pair(suite);
    const first = asRecord(sealer.seal([Buffer.from('one')]));
    const second = asRecord(sealer.seal([Buffer.from('two')]));
    refusedWith('P2P_FRAME_REPLAYED', () => opener.open(second.header, second.body));
    assert.deepEqual(opener.open(first.header, first.body), Buffer.from('one'));
    refusedWith('P2P_FRAME_REPLAYED', () => opener.open(first.header, first.body));
  });

  test(`a frame sealed for one direction does not open in the other (reflection) (${suite})`, () => {
    const { sealer, reverse } = pair(suite);
    const r = asRecord(sealer.seal([Buffer.from('ping')]));
    refusedWith('P2P_FRAME_TAMPERED', () => reverse.open(r.header, r.body));
  });

  test(`the channel's HMAC equals the suite's HMAC (${suite})`, () => {
    const s = getSuite(suite);
    const key = s.randomBytes(32);
    const data = s.randomBytes(1000);
    assert.deepEqual(new Uint8Array(frameHmac(suite, key, [data.subarray(0, 10), data.subarray(10)])), new Uint8Array(s.hmac(key, data)));
  });
}
