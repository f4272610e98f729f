import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { CatalogRecord } from '@gateway/contracts';
import { UpstreamConnection } from './upstream-connection';
import { traceUpstreamRequest, withTraceMeta } from './upstream-request-tracer';

const exporter = new InMemorySpanExporter();
const connection = new UpstreamConnection(CatalogRecord.example.server!, {
  connectTimeoutMs: 1_000,
  restartBackoff: { initialMs: 10, maxMs: 10 },
  logger: pino({ level: 'silent' }),
});

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
});

afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

describe('traceUpstreamRequest', () => {
  it('runs each upstream request in a client span of the caller’s trace and hands its context to _meta', async () => {
    const parent = trace.getTracer('spec').startSpan('ingress request');
    const metas = await context.with(trace.setSpan(context.active(), parent), () =>
      Promise.all(
        ['tools/list', 'tools/call'].map((method) =>
          traceUpstreamRequest(connection, method, method === 'tools/call' ? 'echo' : undefined, (meta) =>
            Promise.resolve(meta),
          ),
        ),
      ),
    );
    parent.end();

    const spans = exporter.getFinishedSpans().filter((span) => span.name !== 'ingress request');
    expect(spans.map((span) => span.name).sort()).toEqual([
      'tools/call everything/echo',
      'tools/list everything',
    ]);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.attributes).toMatchObject({
        'mcp.gateway.upstream.server': 'everything',
        'mcp.gateway.upstream.transport': 'stdio',
      });
    }
    const traceparents = metas.map((meta) => meta['traceparent']);
    expect(traceparents.sort()).toEqual(
      spans.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`).sort(),
    );
  });

  it('marks the span failed when the upstream request fails, and rethrows', async () => {
    await expect(
      traceUpstreamRequest(connection, 'tools/call', 'echo', () =>
        Promise.reject(new Error('upstream timed out')),
      ),
    ).rejects.toThrow('upstream timed out');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
  });
});

describe('withTraceMeta', () => {
  it('keeps the request’s own _meta, such as its progress token', () => {
    expect(withTraceMeta({ name: 'echo', _meta: { progressToken: 7 } }, { traceparent: 'tp' })).toEqual({
      name: 'echo',
      _meta: { progressToken: 7, traceparent: 'tp' },
    });
    expect(withTraceMeta({ name: 'echo' }, { traceparent: 'tp' })).toEqual({
      name: 'echo',
      _meta: { traceparent: 'tp' },
    });
  });
});
