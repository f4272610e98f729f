import type { Client, DiscoverResult } from '@modelcontextprotocol/client';
import { EraVerdict } from './upstream-era.verdict';

const discover = { supportedVersions: ['2026-07-28'], capabilities: {} } as unknown as DiscoverResult;

function connected(era: 'modern' | 'legacy'): Client {
  return {
    getProtocolEra: () => era,
    getDiscoverResult: () => (era === 'modern' ? discover : undefined),
  } as unknown as Client;
}

describe('EraVerdict', () => {
  it('probes once on transports that can carry 2026-07-28, then connects with the verdict', () => {
    const verdict = new EraVerdict('streamable-http', 60_000);
    expect(verdict.negotiation()).toEqual({ mode: 'auto' });
    expect(verdict.connectPrior()).toBeUndefined();
    verdict.remember(connected('modern'));
    expect(verdict.connectPrior()).toEqual({ kind: 'modern', discover });
    expect(verdict.era).toBe('modern');
  });

  it('never probes HTTP+SSE or WebSocket upstreams: they are 2025-era transports', () => {
    for (const transport of ['sse', 'websocket'] as const) {
      const verdict = new EraVerdict(transport, 60_000);
      expect(verdict.negotiation()).toEqual({ mode: 'legacy' });
      expect(verdict.connectPrior()).toEqual({ kind: 'legacy' });
      expect(verdict.era).toBe('legacy');
    }
  });

  it('probes again once a legacy verdict is older than its maximum age', () => {
    let now = 1_000;
    const verdict = new EraVerdict('stdio', 500, () => now);
    verdict.remember(connected('legacy'));
    now += 400;
    expect(verdict.connectPrior()).toEqual({ kind: 'legacy' });
    now += 200;
    expect(verdict.connectPrior()).toBeUndefined();
  });

  it('keeps a modern verdict until a connect with it fails', () => {
    let now = 0;
    const verdict = new EraVerdict('stdio', 10, () => now);
    verdict.remember(connected('modern'));
    now += 1_000;
    expect(verdict.connectPrior()?.kind).toBe('modern');
    verdict.forget();
    expect(verdict.connectPrior()).toBeUndefined();
  });
});
