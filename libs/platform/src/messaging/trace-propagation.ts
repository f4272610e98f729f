import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { markSpanFailed } from '../observability/span-failure';
import type { IncomingMessage } from './event-bus';

/** Which adapter delivered a message, as the `messaging.system` span attribute. */
export type MessagingSystem = 'kafka' | 'in-process';

const tracerName = '@gateway/platform/messaging';

// Without a registered SDK the global propagator is a no-op; events must still carry the trace
// so that a consumer process that does run an SDK joins the producer's trace (DESIGN "Tracing").
const fallbackPropagator = new W3CTraceContextPropagator();

function globalPropagatorRegistered(): boolean {
  return propagation.fields().length > 0;
}

/**
 * Returns `headers` plus `traceparent`/`tracestate` for the active context. Called synchronously
 * inside publish(), so the context is the caller's even though the send happens later.
 */
export function injectTraceContext(
  headers: Readonly<Record<string, string>> = {},
  activeContext: Context = context.active(),
): Record<string, string> {
  const carrier: Record<string, string> = { ...headers };
  if (globalPropagatorRegistered()) propagation.inject(activeContext, carrier, defaultTextMapSetter);
  else fallbackPropagator.inject(activeContext, carrier, defaultTextMapSetter);
  return carrier;
}

/**
 * The producer's context from message headers. Built on the root context on purpose: delivery
 * code runs in whatever async context scheduled it (the in-process bus schedules from the
 * publisher), and only the headers may decide the parent.
 */
export function extractTraceContext(headers: Readonly<Record<string, string>>): Context {
  if (globalPropagatorRegistered()) return propagation.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  return fallbackPropagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/**
 * Runs `work` inside a CONSUMER span named `<topic> process` that is a child of the producer's
 * context, so the consumer's work (and its logs) belong to the trace that produced the event.
 * A failing attempt records the exception and an error status, then rethrows for redelivery.
 */
/**
 * One consumer span per message of a batch, each in its message's own trace, all around one
 * piece of work: the batch is processed once, and every trace shows its processing.
 */
export function runInConsumerSpans(
  system: MessagingSystem,
  groupId: string,
  messages: readonly IncomingMessage[],
  work: () => Promise<void>,
): Promise<void> {
  return messages.reduceRight<() => Promise<void>>(
    (inner, message) => () => runInConsumerSpan(system, groupId, message, inner),
    work,
  )();
}

export async function runInConsumerSpan(
  system: MessagingSystem,
  groupId: string,
  message: IncomingMessage,
  work: () => Promise<void>,
): Promise<void> {
  const parent = extractTraceContext(message.headers);
  const span = trace.getTracer(tracerName).startSpan(
    `${message.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.consumer.group.name': groupId,
        'messaging.kafka.message.key': message.key,
        'messaging.kafka.offset': Number(message.offset),
      },
    },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}
