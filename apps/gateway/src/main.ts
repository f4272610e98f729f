import './instrumentation';
import { runServiceProcess } from '@gateway/platform';
import { embeddedGateway } from './embedded-gateway';

runServiceProcess(embeddedGateway, (_app, definition) => {
  const host = definition.http.host.includes(':') ? `[${definition.http.host}]` : definition.http.host;
  process.stdout.write(`\nMCP gateway ready: http://${host}:${definition.http.port}/mcp\n\n`);
});
