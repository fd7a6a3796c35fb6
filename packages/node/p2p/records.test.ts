import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HANDSHAKE_RECORD_BYTES_MAX } from './limits.ts';
import { P2pError } from './reasons.ts';
import { RecordKind, RecordReader, encodeRecord } from './records.ts';

test('the record reader reassembles records split at every possible chunk boundary', () => {
  const records = [encodeRecord(RecordKind.HELLO, Buffer.from('first')), encodeRecord(RecordKind.AUTH, Buffer.alloc(64, 7)), encodeRecord(RecordKind.REFUSE, Buffer.alloc(0))];
  const stream = Buffer.concat(records);
  for (let cut = 0; cut <= stream.length; cut++) {
    for (const step of [1, 3, stream.length]) {
      const reader = new RecordReader();
      const out: Array<{ kind: number; body: string }> = [];
      const feed = (part: Buffer): void => {
        for (let i = 0; i < part.length; i += step) {
          reader.push(part.subarray(i, i + step));
          for (let r = reader.next(); r !== undefined; r = reader.next()) out.push({ kind: r.kind, body: r.body.toString('hex') });
        }
      };
      feed(stream.subarray(0, cut));
      feed(stream.subarray(cut));
      assert.deepEqual(out.map((r) => r.kind), [RecordKind.HELLO, RecordKind.AUTH, RecordKind.REFUSE]);
      assert.equal(out[0]!.body, Buffer.from('first').toString('hex'));
      assert.equal(reader.pendingBytes, 0);
    }
  }
});

test('a record announcing more than its kind allows is refused from its header alone', () => {
  const reader = new RecordReader();
  const header = Buffer.alloc(5);
  header.writeUInt32BE(HANDSHAKE_RECORD_BYTES_MAX + 1, 0);
  header[4] = RecordKind.HELLO;
  reader.push(header);
  assert.throws(() => reader.next(), (err: unknown) => err instanceof P2pError && err.code === 'P2P_FRAME_TOO_LARGE');
});

test('a record with a zero length field is a protocol error', () => {
  const reader = new RecordReader();
  reader.push(Buffer.from([0, 0, 0, 0, 1]));
  assert.throws(() => reader.next(), (err: unknown) => err instanceof P2pError && err.code === 'P2P_PROTOCOL_ERROR');
});
