import { context, propagation, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { InProcessEventBus } from './in-process-event-bus';
import { extractTraceContext, injectTraceContext } from './trace-propagation';
import { waitFor } from './wait-for.test-helper';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const contextManager = new AsyncLocalStorageContextManager();
const tracer = (): ReturnType<typeof trace.getTracer> => trace.getTracer('trace-propagation.spec');

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

afterEach(() => {
  exporter.reset();
  propagation.disable();
});

const topic = 'test.traced';

function consumerSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === `${topic} process`);
}

/** Publishes inside an active producer span and returns that span's context. */
function publishInSpan(bus: InProcessEventBus, value: unknown): SpanContext {
  return tracer().startActiveSpan('handle request', (span) => {
    bus.publish({ topic, key: 'session-1', value });
    span.end();
    return span.spanContext();
  });
}

describe.each([
  ['no propagator registered (W3C fallback)', (): void => undefined],
  [
    'the global W3C propagator',
    (): void => void propagation.setGlobalPropagator(new W3CTraceContextPropagator()),
  ],
])('trace propagation with %s', (_name, registerPropagator) => {
  let bus: InProcessEventBus;

  beforeEach(() => {
    registerPropagator();
    bus = new InProcessEventBus({
      logger: pino({ level: 'silent' }),
      retryBackoff: { initialMs: 5, maxMs: 10 },
    });
  });

  afterEach(async () => {
    await bus.close();
  });

  it('runs the handler in a CONSUMER span that is a child of the publishing span', async () => {
    let handlerSpan: SpanContext | undefined;
    let headers: Readonly<Record<string, string>> = {};
    await bus.subscribe({ topic, groupId: 'audit' }, (message) => {
      handlerSpan = trace.getActiveSpan()?.spanContext();
      headers = message.headers;
      return Promise.resolve();
    });

    const producer = publishInSpan(bus, { n: 1 });
    await waitFor(() => consumerSpans().length === 1);

    const [span] = consumerSpans();
    expect(headers['traceparent']).toBe(`00-${producer.traceId}-${producer.spanId}-01`);
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.spanContext().traceId).toBe(producer.traceId);
    expect(span?.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(handlerSpan?.spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toMatchObject({
      'messaging.system': 'in-process',
      'messaging.destination.name': topic,
      'messaging.kafka.message.key': 'session-1',
    });
  });

  it('records the exception and an error status for every failed attempt', async () => {
    let attempts = 0;
    await bus.subscribe({ topic, groupId: 'audit' }, () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('database down')) : Promise.resolve();
    });

    const producer = publishInSpan(bus, { n: 2 });
    await waitFor(() => consumerSpans().length === 2);

    const [failed, succeeded] = consumerSpans();
    expect(failed?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(failed?.events.map((event) => event.name)).toContain('exception');
    expect(succeeded?.status.code).not.toBe(SpanStatusCode.ERROR);
    for (const span of consumerSpans()) expect(span.parentSpanContext?.spanId).toBe(producer.spanId);
  });
});

describe('injectTraceContext / extractTraceContext', () => {
  it('adds nothing outside a span and keeps the given headers', () => {
    expect(injectTraceContext({ a: 'b' })).toEqual({ a: 'b' });
  });

  it('round-trips a span context through headers', () => {
    const producer = tracer().startActiveSpan('outer', (span) => {
      span.end();
      return span.spanContext();
    });
    const headers = injectTraceContext({}, trace.setSpanContext(context.active(), producer));
    const extracted = trace.getSpanContext(extractTraceContext(headers));
    expect(extracted).toMatchObject({ traceId: producer.traceId, spanId: producer.spanId, isRemote: true });
  });
});
