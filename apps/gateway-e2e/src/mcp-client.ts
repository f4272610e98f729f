import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testAdminHeaders } from '@gateway/testing';

export interface ConnectedClient {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  readonly sessionId: string;
  /** Ends the session at the gateway (DELETE) and closes the client. */
  end(): Promise<void>;
}

/** A real MCP SDK client connected to the gateway over Streamable HTTP, as the test admin by default. */
export async function connectClient(
  mcpUrl: string,
  headers: Readonly<Record<string, string>> = testAdminHeaders(),
): Promise<ConnectedClient> {
  const client = new Client({ name: 'gateway-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } });
  await client.connect(transport);
  if (!transport.sessionId) throw new Error('the gateway did not assign a session id');
  const end = async (): Promise<void> => {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  };
  return { client, transport, sessionId: transport.sessionId, end };
}

/** Reads one Prometheus sample with (at least) the given labels, or undefined when absent. */
export function counterValue(
  metricsText: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelEnd = line.indexOf('}');
    const labelText = labelEnd === -1 ? '' : line.slice(name.length + 1, labelEnd);
    const matches = Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`));
    if (matches) return Number(line.slice(labelEnd === -1 ? name.length : labelEnd + 1).trim());
  }
  return undefined;
}

/** POSTs a raw body to the MCP endpoint as the test admin and returns status and parsed JSON. */
export async function postRaw(
  mcpUrl: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { error?: { code: number; message: string } } }> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...testAdminHeaders(),
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    json: (await response.json()) as { error?: { code: number; message: string } },
  };
}
