export * from './ingress.module';
export * from './ingress-config';
export { mcpEndpointPaths } from './mcp/mcp.controller';
