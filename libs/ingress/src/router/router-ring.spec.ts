import { pickNode } from './router-ring';

describe('pickNode', () => {
  const nodes = ['10.0.0.1:50051', '10.0.0.2:50051', '10.0.0.3:50051'];
  const keys = Array.from({ length: 600 }, (_, index) => `session-${index}`);

  it('spreads keys over every node', () => {
    const counts = new Map<string, number>();
    for (const key of keys) {
      const node = pickNode(nodes, key)!;
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...nodes].sort());
    for (const count of counts.values()) expect(count).toBeGreaterThan(100);
  });

  it('moves only the keys of a node that leaves', () => {
    const before = new Map(keys.map((key) => [key, pickNode(nodes, key)]));
    const remaining = nodes.filter((node) => node !== nodes[1]);
    for (const key of keys) {
      const after = pickNode(remaining, key);
      if (before.get(key) === nodes[1]) expect(remaining).toContain(after);
      else expect(after).toBe(before.get(key));
    }
  });

  it('has no node for an empty set', () => {
    expect(pickNode([], 'session-1')).toBeUndefined();
  });
});
