import { createHash } from 'node:crypto';

function weight(node: string, key: string): bigint {
  return createHash('sha256').update(node).update('\0').update(key).digest().readBigUInt64BE(0);
}

/**
 * Rendezvous (highest random weight) hashing: the node for a key is the one whose hash with the
 * key is highest. Each key keeps its node while that node is in the set; when a node leaves,
 * only its keys move, each to the node that ranks next for it, and no ring state is kept.
 */
export function pickNode(nodes: readonly string[], key: string): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const node of nodes) {
    const candidate = weight(node, key);
    if (candidate > bestWeight) {
      best = node;
      bestWeight = candidate;
    }
  }
  return best;
}
