/**
 * Byzantine validators. `ChaoticByzantine` is one faulty validator within the fault model (f = 1 of 4, or 1 of 7):
 * it equivocates (different votes to different peers), votes twice, proposes invalid blocks or different valid
 * blocks to different peers, sends garbage and messages it has no right to send, and lies in sync answers.
 * `Coalition` is a group of validators acting together, used with more than f members to show that the
 * simulator's agreement check fires when the fault assumption is broken.
 */
import { toHex } from '@govchain/base';
import {
  encodeCommitCertificate, encodeConsensusMessage, proposalSignBytes, voteSignBytes,
  type BlockValue, type CommitSignature, type ConsensusMessage, type Proposal, type Vote, type VoteData, type VoteType,
} from '@govchain/protocol';
import { buildBlock, invalidBlock, type InvalidFlavour } from './app.ts';
import type { ByzantineBehaviour, SimNode } from './node.ts';
import { sha256, validatorKey } from './sim-crypto.ts';

const INVALID_FLAVOURS: readonly InvalidFlavour[] = ['bad-payload', 'wrong-parent', 'hash-mismatch', 'garbage'];

function signVote(chainId: string, index: number, data: VoteData): ConsensusMessage {
  const vote: Vote = { ...data, validatorIndex: index, signature: validatorKey(index).sign(voteSignBytes(chainId, data)) };
  return { kind: 'vote', vote };
}

function signProposal(chainId: string, index: number, height: number, round: number, block: BlockValue, polRound = -1, pol: CommitSignature[] = []): ConsensusMessage {
  const data = { height, round, polRound, blockHash: block.hash };
  const proposal: Proposal = { ...data, block: block.bytes, proposerIndex: index, pol, signature: validatorKey(index).sign(proposalSignBytes(chainId, data)) };
  return { kind: 'proposal', proposal };
}

function send(node: SimNode, peer: number, message: ConsensusMessage): void {
  node.sendTo(peer, { kind: 'consensus', bytes: encodeConsensusMessage(message) });
}

export class ChaoticByzantine implements ByzantineBehaviour {
  broadcast(node: SimNode, message: ConsensusMessage): void {
    if (message.kind === 'vote') this.vote(node, message.vote);
    else this.propose(node, message.proposal);
  }

  private vote(node: SimNode, vote: Vote): void {
    const rng = node.rng;
    if (rng.chance(0.35)) {
      // Equivocate: each peer gets either the machine's vote or a conflicting one, all validly signed.
      const other: VoteData = { ...vote, blockHash: vote.blockHash === null ? sha256(rng.bytes(8)) : null };
      const conflicting = signVote(node.chainId, node.index, other);
      for (const peer of node.peers()) send(node, peer, rng.chance(0.5) ? { kind: 'vote', vote } : conflicting);
      return;
    }
    const copies = rng.chance(0.15) ? 2 : 1; // votes twice
    for (let i = 0; i < copies; i++) for (const peer of node.peers()) send(node, peer, { kind: 'vote', vote });
  }

  private propose(node: SimNode, p: Proposal): void {
    const rng = node.rng;
    const roll = rng.float();
    if (roll < 0.3) {
      const block = invalidBlock(rng.pick(INVALID_FLAVOURS), p.height, p.round, node.index, node.parentHash(p.height));
      const bad = signProposal(node.chainId, node.index, p.height, p.round, block);
      for (const peer of node.peers()) send(node, peer, bad);
    } else if (roll < 0.5) {
      // Two valid blocks for one round, to different peers.
      const twin = signProposal(node.chainId, node.index, p.height, p.round, buildBlock(p.height, p.round, node.index, node.parentHash(p.height), 'twin:'));
      for (const peer of node.peers()) send(node, peer, rng.chance(0.5) ? { kind: 'proposal', proposal: p } : twin);
    } else {
      for (const peer of node.peers()) send(node, peer, { kind: 'proposal', proposal: p });
    }
  }

  tick(node: SimNode): void {
    const rng = node.rng;
    const peer = rng.pick(node.peers());
    const height = node.currentHeight();
    const round = node.currentRound();
    switch (rng.int(0, 6)) {
      case 0: // random bytes
        node.sendTo(peer, { kind: 'consensus', bytes: rng.bytes(rng.int(0, 200)) });
        break;
      case 1: { // a valid vote with one byte flipped
        const bytes = encodeConsensusMessage(signVote(node.chainId, node.index, { type: 'prevote', height, round, blockHash: null }));
        bytes[rng.int(0, bytes.length - 1)]! ^= 1 << rng.int(0, 7);
        node.sendTo(peer, { kind: 'consensus', bytes });
        break;
      }
      case 2: // a vote far in the future: must not trigger sync or a round jump on its own
        send(node, peer, signVote(node.chainId, node.index, { type: 'precommit', height: height + rng.int(2, 1000), round: rng.int(0, 1_000_000), blockHash: null }));
        break;
      case 3: // a vote for a huge round of the current height
        send(node, peer, signVote(node.chainId, node.index, { type: 'prevote', height, round: round + rng.int(3, 1_000_000), blockHash: null }));
        break;
      case 4: { // a proposal out of turn, or in turn with a forged proof of lock
        const block = buildBlock(height, round, node.index, node.parentHash(height), 'uninvited:');
        const forgedPol = node.peers().map((i) => ({ validatorIndex: i, signature: rng.bytes(64) })).sort((a, b) => a.validatorIndex - b.validatorIndex);
        send(node, peer, rng.chance(0.5) || round === 0
          ? signProposal(node.chainId, node.index, height, round, block)
          : signProposal(node.chainId, node.index, height, round, block, round - 1, forgedPol));
        break;
      }
      case 5: { // a vote claiming to be another validator's
        const victim = (node.index + 1) % node.size;
        const forged = signVote(node.chainId, node.index, { type: 'precommit', height, round, blockHash: sha256(rng.bytes(4)) });
        if (forged.kind === 'vote') forged.vote.validatorIndex = victim;
        send(node, peer, forged);
        break;
      }
      default: // a precommit for a random block in the current round
        send(node, peer, signVote(node.chainId, node.index, { type: 'precommit', height, round, blockHash: sha256(rng.bytes(4)) }));
    }
  }

  answerSync(node: SimNode, peer: number, fromHeight: number): void {
    const stored = node.storedBlock(fromHeight);
    if (stored === undefined || node.rng.chance(0.3)) {
      node.answerSyncHonestly(peer, fromHeight);
      return;
    }
    // A real certificate with another block's bytes, or the right block with a certificate for fewer signers.
    const lie = node.rng.chance(0.5)
      ? { hash: stored.block.hash, block: buildBlock(fromHeight, 0, node.index, sha256(stored.block.hash)).bytes, certificate: encodeCommitCertificate(stored.certificate) }
      : { hash: stored.block.hash, block: stored.block.bytes, certificate: encodeCommitCertificate({ ...stored.certificate, votes: stored.certificate.votes.slice(0, 1) }) };
    node.sendTo(peer, { kind: 'sync_response', entries: [lie] });
  }
}

/**
 * Colluding validators. Whenever a member proposes, the honest validators are split in two halves: one half is
 * sent the member's block and the other a twin block, and every member prevotes and precommits each half's block
 * to that half. With more than f members each half sees a quorum for its own block; with at most f it cannot.
 */
export class Coalition {
  private readonly attacked = new Set<string>();

  constructor(readonly members: readonly number[], readonly size: number) {}

  behaviour(): ByzantineBehaviour {
    return {
      broadcast: (node, message) => this.broadcast(node, message),
      answerSync: (node, peer, fromHeight) => node.answerSyncHonestly(peer, fromHeight),
      tick: () => {},
    };
  }

  private broadcast(node: SimNode, message: ConsensusMessage): void {
    const [height, round] = message.kind === 'vote' ? [message.vote.height, message.vote.round] : [message.proposal.height, message.proposal.round];
    const key = `${height}/${round}`;
    if (message.kind === 'vote') {
      // Stay silent in attacked rounds: an honest-looking vote would be counted before the attack's votes.
      if (!this.attacked.has(key)) node.sendToAll(message);
      return;
    }
    this.attacked.add(key);
    const honest = [...Array(this.size).keys()].filter((i) => !this.members.includes(i));
    const halves = [honest.filter((_, k) => k % 2 === 0), honest.filter((_, k) => k % 2 === 1)];
    const blocks = [
      { hash: message.proposal.blockHash, bytes: message.proposal.block },
      buildBlock(height, round, node.index, node.parentHash(height), `twin-${toHex(message.proposal.blockHash).slice(0, 4)}:`),
    ];
    halves.forEach((half, k) => {
      const block = blocks[k]!;
      const messages: ConsensusMessage[] = [signProposal(node.chainId, node.index, height, round, block)];
      for (const type of ['prevote', 'precommit'] as VoteType[]) {
        for (const member of this.members) messages.push(signVote(node.chainId, member, { type, height, round, blockHash: block.hash }));
      }
      for (const peer of half) for (const m of messages) send(node, peer, m);
    });
  }
}
