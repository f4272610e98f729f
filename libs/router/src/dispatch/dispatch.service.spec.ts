import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import { toRpcError } from './dispatch.service';

describe('toRpcError', () => {
  it('keeps the code, message and data of a gateway error', () => {
    const error = new GatewayError(
      JsonRpcErrorCode.upstreamUnavailable,
      'Upstream server "x" is unavailable',
      { server: 'x' },
    );
    expect(toRpcError(error)).toEqual({
      code: -32010,
      message: 'Upstream server "x" is unavailable',
      dataJson: '{"server":"x"}',
    });
  });

  it('passes an upstream JSON-RPC error through with its code', () => {
    expect(toRpcError(new McpError(ErrorCode.InvalidParams, 'bad arguments'))).toMatchObject({
      code: -32602,
    });
  });

  it('answers anything else as an internal error', () => {
    expect(toRpcError(new TypeError('boom'))).toEqual({ code: -32603, message: 'boom', dataJson: '' });
  });
});
