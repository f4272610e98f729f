import { join } from 'node:path';
import { repositoryRoot } from '@gateway/testing';
import { packageOf, summarize } from './profile-summary';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('summarize', () => {
  it('adds up self time per function and per package, leaving idle time out', () => {
    const ownFile = `file://${join(repositoryRoot, 'dist/libs/ingress/src/mcp/mcp.controller.js')}`;
    const summary = summarize({
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('parse', 'file:///app/node_modules/zod/v4/core/parse.cjs') },
        { id: 4, callFrame: frame('streamable', ownFile) },
      ],
      samples: [2, 3, 3, 4, 2],
      timeDeltas: [1000, 2000, 3000, 500, 4000],
      startTime: 0,
      endTime: 10_500,
    });
    expect(summary.idleMs).toBe(5);
    expect(summary.byPackage).toEqual([
      ['zod', 5],
      ['libs/ingress', 0.5],
    ]);
    expect(summary.byFunction[1]).toEqual(['streamable dist/libs/ingress/src/mcp/mcp.controller.js:1', 0.5]);
  });
});

describe('packageOf', () => {
  it('names scoped packages, node internals and V8 buckets', () => {
    expect(packageOf('file:///x/node_modules/@grpc/grpc-js/build/src/client.js', 'f')).toBe('@grpc/grpc-js');
    expect(packageOf('node:internal/streams/writable', 'write')).toBe('node: internals');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(packageOf('', 'writev')).toBe('(native)');
  });
});
