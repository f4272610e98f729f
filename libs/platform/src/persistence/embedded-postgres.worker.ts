/** What the embedded Postgres worker receives at start. */
export interface EmbeddedPostgresWorkerData {
  readonly pgliteModule: string;
  readonly socketModule: string;
  readonly pgDataDir: string;
  readonly listener: { readonly path: string } | { readonly host: string; readonly port: number };
  readonly maxConnections: number;
}

export type EmbeddedPostgresWorkerMessage =
  | { readonly type: 'started'; readonly address: string }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

/**
 * Runs PGlite and its socket server on a worker thread, answering 'stop' with 'stopped'.
 *
 * A worker because PGlite executes each query synchronously in WASM, which would stall the event
 * loop of every service sharing the process; and because PGlite loads Node built-ins with dynamic
 * import(), which Jest's module sandbox refuses, while a worker runs outside that sandbox. Plain
 * CommonJS source, evaluated as is, so it needs no build step of its own; module paths come
 * resolved from the parent.
 */
export const EMBEDDED_POSTGRES_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pgliteModule);
const { PGLiteSocketServer } = require(workerData.socketModule);

let db;
let server;

async function start() {
  db = await PGlite.create({ dataDir: workerData.pgDataDir });
  server = new PGLiteSocketServer({ db, maxConnections: workerData.maxConnections, ...workerData.listener });
  await server.start();
  parentPort.postMessage({ type: 'started', address: server.getServerConn() });
}

async function stop() {
  if (server) await server.stop();
  if (db && !db.closed) await db.close();
  parentPort.postMessage({ type: 'stopped' });
}

function fail(error) {
  parentPort.postMessage({ type: 'failed', error: String((error && error.stack) || error) });
}

parentPort.on('message', (message) => {
  if (message === 'stop') stop().catch(fail);
});
start().catch(async (error) => {
  fail(error);
  await stop().catch(() => undefined);
});
`;
