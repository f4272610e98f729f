import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { JsonRpcErrorCode } from '@gateway/mcp';
import {
  isSessionNotFound,
  toUpstreamFailure,
  UpstreamCancelledError,
  UpstreamRpcError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from './upstream-errors';

const call = { server: 'files', method: 'tools/call', timeoutMs: 1_000 };

describe('toUpstreamFailure', () => {
  it('keeps the upstream’s own JSON-RPC error as it is', () => {
    const failure = toUpstreamFailure(new ProtocolError(-32602, 'bad arguments', { field: 'path' }), call);
    expect(failure).toBeInstanceOf(UpstreamRpcError);
    expect(failure).toMatchObject({ code: -32602, message: 'bad arguments', data: { field: 'path' } });
  });

  it('turns a timeout into -32011 naming the server', () => {
    const failure = toUpstreamFailure(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), call);
    expect(failure).toBeInstanceOf(UpstreamTimeoutError);
    expect(failure).toMatchObject({
      code: JsonRpcErrorCode.upstreamTimeout,
      message: 'Upstream server "files" did not answer tools/call within 1000 ms',
    });
  });

  it('turns a closed connection, an HTTP failure or a refused connection into -32010 naming the server', () => {
    const failures = [
      new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'),
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing', { status: 503 }),
      new TypeError('fetch failed'),
    ].map((error) => toUpstreamFailure(error, call));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(UpstreamUnavailableError);
      expect(failure.code).toBe(JsonRpcErrorCode.upstreamUnavailable);
      expect(failure.message).toMatch(/^Upstream server "files" is unavailable: /);
    }
  });

  it('says the call was cancelled when the caller aborted it', () => {
    const abort = new AbortController();
    abort.abort();
    const failure = toUpstreamFailure(new SdkError(SdkErrorCode.RequestTimeout, 'aborted'), {
      ...call,
      signal: abort.signal,
    });
    expect(failure).toBeInstanceOf(UpstreamCancelledError);
  });
});

describe('isSessionNotFound', () => {
  it('recognises HTTP 404 and nothing else', () => {
    expect(
      isSessionNotFound(new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'x', { status: 404 })),
    ).toBe(true);
    expect(
      isSessionNotFound(new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'x', { status: 400 })),
    ).toBe(false);
    expect(isSessionNotFound(new Error('404'))).toBe(false);
  });
});
