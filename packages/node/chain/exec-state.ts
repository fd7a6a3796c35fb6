/**
 * Adapts the ledger's block overlay to the executor's state interface, and computes (once) the state root of
 * the block's writes. Writes carry no tx index here: the executor's own write log records which tx wrote what.
 */
import type { Ledger, PreparedState, StateOverlay } from '@govchain/ledger';
import type { Entry, StateReader, StateWriter } from '@govchain/vm';

export class ExecState implements StateWriter {
  private prepared: PreparedState | undefined;

  constructor(private readonly overlay: StateOverlay, private readonly ledger: Ledger, private readonly height: number) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.overlay.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.prepared = undefined;
    this.overlay.set(key, value, null);
  }

  delete(key: Uint8Array): void {
    this.prepared = undefined;
    this.overlay.delete(key, null);
  }

  range(start: Uint8Array, end: Uint8Array, limit: number): Entry[] {
    return this.overlay.range(start, end, limit).map((e) => [e.key, e.value]);
  }

  preparedState(): PreparedState {
    this.prepared ??= this.ledger.prepareState(this.height, this.overlay.writes());
    return this.prepared;
  }

  stateRoot(): Uint8Array {
    return this.preparedState().root;
  }
}

/** Committed state as the executor's read interface, for queries. */
export class CommittedState implements StateReader {
  constructor(private readonly ledger: Ledger) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.ledger.getState(key);
  }

  range(start: Uint8Array, end: Uint8Array, limit: number): Entry[] {
    return this.ledger.rangeState(start, end, limit).entries.map((e) => [e.key, e.value]);
  }
}
