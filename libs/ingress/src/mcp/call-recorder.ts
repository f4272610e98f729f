import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CallEvent, type CallEventValue } from '@gateway/contracts';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { type EventBus, publishEvent } from '@gateway/platform';

interface PendingCall {
  readonly method: string;
  readonly identity: RecordedIdentity;
  readonly startedAt: number;
  readonly requestBytes: number;
  readonly traceId?: string;
  target?: string;
  server?: string;
}

export interface RecordedIdentity {
  readonly tenant: string;
  readonly principal: string;
}

export interface RecorderContext {
  readonly bus: EventBus;
  readonly instanceId: string;
  /** Who is calling, read when a message arrives (a session's principal, or the request's). */
  readonly identity: () => RecordedIdentity;
}

function byteLength(message: JSONRPCMessage): number {
  return Buffer.byteLength(JSON.stringify(message));
}

function targetOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { name, uri } = params as { name?: unknown; uri?: unknown };
  if (typeof name === 'string') return name;
  return typeof uri === 'string' ? uri : undefined;
}

const maxErrorMessageLength = 500;

/**
 * A tools/call result with isError is a failed call even though the JSON-RPC exchange succeeded
 * (spec: tool errors are reported in the result so the model can see them). Its first text
 * block says why.
 */
function toolErrorOf(message: JSONRPCMessage): { message: string } | undefined {
  const result =
    'result' in message ? (message.result as { isError?: unknown; content?: unknown }) : undefined;
  if (result?.isError !== true) return undefined;
  const blocks = Array.isArray(result.content)
    ? (result.content as Array<{ type?: unknown; text?: unknown }>)
    : [];
  const text = blocks.find((block) => block.type === 'text' && typeof block.text === 'string')?.text as
    string | undefined;
  return { message: (text ?? 'tool reported an error').slice(0, maxErrorMessageLength) };
}

/**
 * Publishes one mcp.gateway.calls.v1 event per MCP message a downstream session handles. It sits
 * on the transport, so every message counts, including the ones the SDK answers itself
 * (initialize, ping) and notifications.
 */
export class CallRecorder {
  private readonly pending = new Map<string | number, PendingCall>();

  constructor(
    private readonly context: RecorderContext,
    private readonly sessionId: () => string | undefined,
  ) {}

  /** Wraps the transport after the MCP server has connected to it. */
  attach(transport: Transport): void {
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      this.received(message);
      deliver?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      this.sent(message);
      return send(message, options);
    };
  }

  /** Lets a handler say which upstream served a request. */
  annotate(requestId: string | number, server: string, target?: string): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    pending.server = server || undefined;
    if (target) pending.target = pending.target ?? target;
  }

  private received(message: JSONRPCMessage): void {
    if (!('method' in message)) return;
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    if ('id' in message) {
      this.pending.set(message.id, {
        method: message.method,
        identity: this.context.identity(),
        startedAt: performance.now(),
        requestBytes: byteLength(message),
        traceId,
        target: targetOf(message.params),
      });
      return;
    }
    this.publish(
      {
        method: message.method,
        identity: this.context.identity(),
        startedAt: performance.now(),
        requestBytes: byteLength(message),
        traceId,
      },
      { outcome: 'ok', responseBytes: 0 },
    );
  }

  private sent(message: JSONRPCMessage): void {
    if ('method' in message || !('id' in message) || message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    const rpcError = 'error' in message ? message.error : undefined;
    const error = rpcError ?? toolErrorOf(message);
    this.publish(pending, {
      outcome: error ? 'error' : 'ok',
      errorCode: rpcError?.code,
      errorMessage: error?.message.slice(0, maxErrorMessageLength),
      responseBytes: byteLength(message),
    });
  }

  private publish(
    call: PendingCall,
    result: Pick<CallEventValue, 'outcome' | 'errorCode' | 'errorMessage' | 'responseBytes'>,
  ): void {
    publishEvent(this.context.bus, CallEvent, {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      sessionId: this.sessionId() ?? 'stateless',
      tenant: call.identity.tenant,
      principal: call.identity.principal,
      method: call.method,
      server: call.server,
      target: call.target,
      decision: result.errorCode === JsonRpcErrorCode.accessDenied ? 'deny' : 'allow',
      latencyMs: Math.max(0, performance.now() - call.startedAt),
      requestBytes: call.requestBytes,
      traceId: call.traceId,
      ingressInstance: this.context.instanceId,
      ...result,
    });
  }
}
