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

// PGlite is one Postgres session shared by every connection of the socket server, whose queue
// hands it one protocol message at a time. Its queue keeps a transaction on its connection, but
// between transactions it interleaves the messages of an extended-protocol exchange (Parse, Bind,
// Execute ... Sync) of one connection with another's, whose Parse then replaces the unnamed
// statement; and a failed message left the queue stopped for good. This keeps a connection's
// exchange whole until its Sync, and keeps the queue running after a failure.
function endsExchange(message) {
  const type = message[0];
  // Sync, simple Query, Terminate; startup and SSL packets start with a length (high byte 0).
  return type === 0x53 || type === 0x51 || type === 0x58 || type === 0;
}

function keepExchangesWhole(queue) {
  queue.exchangeOwner = null;
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clearQueueForHandler(handlerId);
    if (queue.exchangeOwner === handlerId) queue.exchangeOwner = null;
    void queue.processQueue();
  };
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId ? this.lastHandlerId : this.exchangeOwner;
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.exchangeOwner = null;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        this.exchangeOwner = endsExchange(item.message) ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}

async function start() {
  db = await PGlite.create({ dataDir: workerData.pgDataDir });
  server = new PGLiteSocketServer({ db, maxConnections: workerData.maxConnections, ...workerData.listener });
  keepExchangesWhole(server.queryQueue);
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
