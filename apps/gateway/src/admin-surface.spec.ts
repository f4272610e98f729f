import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@gateway/platform';
import { AdminAccessGuard, loadSecurityConfig, SecurityModule } from '@gateway/security';

const repositoryRoot = join(__dirname, '..', '..', '..');

/**
 * The HTTP routes that need no admin, each for a reason a reviewer can check. A new public route
 * must be added here on purpose; a route missing from here is admin-only by the global guard.
 */
const expectedPublicRoutes = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'ALL /mcp',
  'ALL /servers/:view/mcp',
  'GET /sse',
  'GET /servers/:view/sse',
  'POST /messages',
  'POST /servers/:view/messages',
  'GET /.well-known/oauth-protected-resource',
  'GET /.well-known/oauth-protected-resource/mcp',
  'GET /.well-known/oauth-protected-resource/servers/:view/mcp',
  'GET /.well-known/jwks.json',
  'GET /.well-known/oauth-authorization-server',
  'POST /oauth/token',
  'POST /oauth/revoke',
].sort();

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.controller\.ts$/.test(entry) ? [path] : [];
  });
}

function paths(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value ?? ''];
  return list.map((path) => String(path).replace(/^\/+|\/+$/g, ''));
}

interface Route {
  readonly route: string;
  readonly file: string;
  readonly publicReason: string | undefined;
}

/** Every HTTP route of every controller in libs/, read from Nest's own route metadata. */
function httpRoutes(): Route[] {
  const routes: Route[] = [];
  for (const file of sourceFiles(join(repositoryRoot, 'libs'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every controller file, found at run time
    const exports = require(file) as Record<string, unknown>;
    for (const exported of Object.values(exports)) {
      if (typeof exported !== 'function' || Reflect.getMetadata(PATH_METADATA, exported) === undefined)
        continue;
      const controller = exported as new (...args: never[]) => unknown;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || handlerPaths === undefined) continue;
        const publicReason = (Reflect.getMetadata(PUBLIC_ROUTE, handler) ??
          Reflect.getMetadata(PUBLIC_ROUTE, controller)) as string | undefined;
        for (const base of paths(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const path of paths(handlerPaths)) {
            const full = `/${[base, path].filter(Boolean).join('/')}`;
            routes.push({
              route: `${RequestMethod[method]} ${full}`,
              file: relative(repositoryRoot, file),
              publicReason,
            });
          }
        }
      }
    }
  }
  return routes;
}

describe('the admin surface', () => {
  const routes = httpRoutes();

  it('finds the routes of every service (the scan is not empty)', () => {
    for (const prefix of [
      '/api/v1/servers',
      '/api/v1/audit',
      '/api/v1/upstreams',
      '/api/v1/auth',
      '/api/v1/policies',
    ]) {
      expect(routes.some(({ route }) => route.split(' ')[1]!.startsWith(prefix))).toBe(true);
    }
  });

  it('has no public route but the ones listed on purpose, each with its reason', () => {
    const publicRoutes = routes.filter((route) => route.publicReason !== undefined);
    expect(publicRoutes.map(({ route }) => route).sort()).toEqual(expectedPublicRoutes);
    for (const route of publicRoutes) expect(route.publicReason!.length).toBeGreaterThan(10);
  });

  it('puts every other route behind the admin guard, installed globally by the security module', () => {
    const module = SecurityModule.forRoot(loadSecurityConfig({}));
    expect(module.global ?? true).toBe(true);
    expect(module.providers).toContainEqual({ provide: APP_GUARD, useClass: AdminAccessGuard });
  });

  it('installs the security module in every service process and in the embedded gateway', () => {
    const mains = ['ingress', 'auth', 'policy', 'registry', 'router', 'audit', 'telemetry'].map(
      (service) => `apps/${service}/src/main.ts`,
    );
    for (const main of [...mains, 'apps/gateway/src/embedded-gateway.ts']) {
      expect({
        main,
        installs: /SecurityModule\.forRoot\(/.test(readFileSync(join(repositoryRoot, main), 'utf8')),
      }).toEqual({
        main,
        installs: true,
      });
    }
  });
});
