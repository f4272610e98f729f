import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Adds the active trace and span ids to every line, so a log line leads to its trace. */
function traceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}

let root: Logger | undefined;

/** The process-wide structured logger (JSON lines on stdout); LOG_LEVEL sets the level. */
export function rootLogger(): Logger {
  root ??= pino({
    level: process.env['LOG_LEVEL'] ?? 'info',
    base: { pid: process.pid },
    mixin: traceFields,
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

/** A child logger for one component, e.g. createLogger('kafka-bus'). */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
