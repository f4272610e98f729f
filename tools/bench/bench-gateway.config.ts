import { writeFileSync } from 'node:fs';
import { stringify as stringifyYaml } from 'yaml';
import { type BenchUpstreams, catalogServers, type StdioCommand } from './bench-upstreams';

/** The virtual servers the scenarios use, each exposing one upstream (or the catalogs). */
export const benchViews = {
  fixture: 'bench',
  fixtureStdio: 'bench-stdio',
  everything: 'everything',
  everythingStdio: 'everything-stdio',
  catalog: 'catalog',
} as const;

export const catalogServerName = (index: number) => `catalog-${String(index).padStart(2, '0')}`;

/**
 * The registry config (REGISTRY_CONFIG_FILE) for both topologies: every upstream of the run.
 * Returns the names of the servers it declares.
 */
export function writeBenchGatewayConfig(file: string, upstreams: BenchUpstreams): string[] {
  const stdio = (id: string, command: StdioCommand) => ({
    id,
    transport: 'stdio',
    stdio: { command: command.command, args: [...command.args] },
  });
  const http = (id: string, url: string) => ({ id, transport: 'streamable-http', http: { url } });
  const catalogs = Array.from({ length: catalogServers }, (_, index) => catalogServerName(index));
  const config = {
    servers: [
      http(benchViews.fixture, `${upstreams.fixtureUrl}/mcp`),
      stdio(benchViews.fixtureStdio, upstreams.fixtureStdio),
      http(benchViews.everything, upstreams.everythingUrl),
      stdio(benchViews.everythingStdio, upstreams.everythingStdio),
      ...catalogs.map((name, index) => http(name, `${upstreams.fixtureUrl}/catalog/${index}/mcp`)),
    ],
    virtualServers: [
      ...[benchViews.fixture, benchViews.fixtureStdio, benchViews.everything, benchViews.everythingStdio].map(
        (name) => ({ name, servers: [name] }),
      ),
      { name: benchViews.catalog, servers: catalogs },
    ],
  };
  writeFileSync(file, stringifyYaml(config));
  return config.servers.map((server) => server.id);
}
