import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { markSpanFailed } from '@gateway/platform';
import type { UpstreamConnection } from './upstream-connection';

const tracer = trace.getTracer('mcp-gateway-router');

/** Trace context as it travels in an MCP request's `params._meta` (W3C names: traceparent, tracestate). */
export type TraceMeta = Record<string, string>;

/**
 * Runs one request to an upstream inside a client span of its own, so a request that fans out
 * to several upstreams shows one span per upstream in its trace. `run` gets the span's trace
 * context to put in the request's `_meta`: that is how it reaches an stdio upstream, which has
 * no HTTP headers, and any upstream that reads it (DESIGN: "W3C traceparent in MCP _meta").
 */
export function traceUpstreamRequest<Result>(
  connection: UpstreamConnection,
  method: string,
  target: string | undefined,
  run: (meta: TraceMeta) => Promise<Result>,
): Promise<Result> {
  const attributes = {
    'mcp.method.name': method,
    'mcp.gateway.upstream.server': connection.name,
    'mcp.gateway.upstream.transport': connection.definition.transport,
    ...(target === undefined ? {} : { 'mcp.gateway.upstream.target': target }),
  };
  const name = `${method} ${connection.name}${target === undefined ? '' : `/${target}`}`;
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const meta: TraceMeta = {};
    propagation.inject(context.active(), meta);
    try {
      return await run(meta);
    } catch (error) {
      markSpanFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The request's own `_meta` (progress token and the like) with the trace context added. */
export function withTraceMeta(params: Record<string, unknown>, meta: TraceMeta): Record<string, unknown> {
  const own = params['_meta'];
  const merged =
    typeof own === 'object' && own !== null ? { ...(own as Record<string, unknown>), ...meta } : meta;
  return { ...params, _meta: merged };
}
