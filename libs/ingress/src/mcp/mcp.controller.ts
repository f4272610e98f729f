import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { JsonRpcErrorCode } from '@gateway/mcp';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { BodyRejectedError, readJsonBody } from './json-body.reader';
import { McpSessionsService } from './mcp-sessions.service';

/** Session errors use the code the MCP SDKs use for "session not found". */
const sessionNotFoundCode = -32001;

function sendJsonRpcError(response: Response, httpStatus: number, code: number, message: string): void {
  response.status(httpStatus).json({ jsonrpc: '2.0', id: null, error: { code, message } });
}

/** The MCP Streamable HTTP endpoint (session-based protocol revisions). */
@Controller('mcp')
export class McpController {
  constructor(
    private readonly sessions: McpSessionsService,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Post()
  async post(@Req() request: Request, @Res() response: Response): Promise<void> {
    let body: unknown;
    try {
      body = await readJsonBody(request, this.config.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyRejectedError)) throw error;
      sendJsonRpcError(response, error.httpStatus, error.code, error.message);
      return;
    }
    const sessionId = request.header('mcp-session-id');
    if (sessionId) {
      const transport = this.sessions.get(sessionId);
      if (!transport) return sendJsonRpcError(response, 404, sessionNotFoundCode, 'Session not found');
      return transport.handleRequest(request, response, body);
    }
    if (isInitializeRequest(body)) {
      const transport = await this.sessions.open();
      return transport.handleRequest(request, response, body);
    }
    sendJsonRpcError(
      response,
      400,
      JsonRpcErrorCode.invalidRequest,
      'Bad Request: Mcp-Session-Id header is required (send initialize first)',
    );
  }

  @Get()
  async stream(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.withSession(request, response);
  }

  @Delete()
  async close(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.withSession(request, response);
  }

  private async withSession(request: Request, response: Response): Promise<void> {
    const sessionId = request.header('mcp-session-id');
    if (!sessionId) {
      return sendJsonRpcError(
        response,
        400,
        JsonRpcErrorCode.invalidRequest,
        'Bad Request: Mcp-Session-Id header is required',
      );
    }
    const transport = this.sessions.get(sessionId);
    if (!transport) return sendJsonRpcError(response, 404, sessionNotFoundCode, 'Session not found');
    await transport.handleRequest(request, response);
  }
}
