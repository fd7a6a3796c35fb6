/**
 * Maps a contract's string keys into the global state key space: utf8(contract) 0x00 utf8(key). The 0x00
 * separator cannot occur inside a contract name, so namespaces never overlap and a namespace is one byte range.
 */
import { concatBytes, fromUtf8, utf8 } from '@govchain/base';
import type { ContractState } from './contract.ts';
import type { StateReader, StateWriter } from './state.ts';

export const KEY_BYTES_MAX = 1024;
export const VALUE_BYTES_MAX = 64 * 1024;
export const RANGE_LIMIT_MAX = 1000;

export function stateKey(contract: string, key: string): Uint8Array {
  return concatBytes(utf8(contract), new Uint8Array([0]), utf8(key));
}

function namespaceEnd(contract: string): Uint8Array {
  return concatBytes(utf8(contract), new Uint8Array([1]));
}

function checkKey(key: string): void {
  if (utf8(key).length > KEY_BYTES_MAX) throw new RangeError(`key longer than ${KEY_BYTES_MAX} bytes`);
}

class NamespacedState implements ContractState {
  private readonly prefixLength: number;

  constructor(
    private readonly contract: string,
    private readonly reader: StateReader,
    private readonly writer: StateWriter | null,
  ) {
    this.prefixLength = utf8(contract).length + 1;
  }

  get(key: string): string | undefined {
    checkKey(key);
    const v = this.reader.get(stateKey(this.contract, key));
    return v === undefined ? undefined : fromUtf8(v);
  }

  set(key: string, value: string): void {
    checkKey(key);
    const bytes = utf8(value);
    if (bytes.length > VALUE_BYTES_MAX) throw new RangeError(`value longer than ${VALUE_BYTES_MAX} bytes`);
    this.requireWriter().set(stateKey(this.contract, key), bytes);
  }

  delete(key: string): void {
    checkKey(key);
    this.requireWriter().delete(stateKey(this.contract, key));
  }

  range(start: string, end: string, limit: number): Array<[string, string]> {
    const bounded = Math.min(Math.max(0, Math.floor(limit)), RANGE_LIMIT_MAX);
    const endKey = end === '' ? namespaceEnd(this.contract) : stateKey(this.contract, end);
    return this.reader
      .range(stateKey(this.contract, start), endKey, bounded)
      .map(([k, v]) => [fromUtf8(k.subarray(this.prefixLength)), fromUtf8(v)]);
  }

  private requireWriter(): StateWriter {
    if (this.writer === null) throw new TypeError('state is read-only in a query');
    return this.writer;
  }
}

export function contractState(contract: string, state: StateWriter): ContractState {
  return new NamespacedState(contract, state, state);
}

export function readOnlyContractState(contract: string, state: StateReader): ContractState {
  return new NamespacedState(contract, state, null);
}
