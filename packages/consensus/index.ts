/**
 * Consensus: BFT (Tendermint-style) as a pure state machine. A single development node is the same machine with a
 * one-validator set. See docs/consensus.md for the protocol, the persistence contract and the safety argument.
 */
export { BftMachine } from './bft.ts';
export { ValidatorSet } from './validator-set.ts';
export { encodePersistedState, decodePersistedState } from './persisted-state.ts';
export type {
  BftConfig, BftDeps, BftEvent, BftOutput, BftStatus, PersistedState, StartOptions, Step, Timeout, TimeoutConfig, TimeoutStep,
} from './types.ts';
