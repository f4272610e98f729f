import { type Span, SpanStatusCode } from '@opentelemetry/api';

/** Marks a span as failed by `error`: the exception event and an error status with its message. */
export function markSpanFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
