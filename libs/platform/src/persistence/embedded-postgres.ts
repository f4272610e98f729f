import { mkdir, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createLogger, type Logger } from '../observability/logger';
import {
  EMBEDDED_POSTGRES_WORKER_SOURCE,
  type EmbeddedPostgresWorkerData,
  type EmbeddedPostgresWorkerMessage,
} from './embedded-postgres.worker';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the database files and the server's unix socket; created if missing. */
  readonly dataDir: string;
  readonly logger?: Logger;
  /**
   * Client connections the socket server accepts (default 100); every service's pool counts
   * against it. They cost next to nothing, as the server multiplexes them onto PGlite's single
   * session, whereas a refused one surfaces in `pg` as a bare EPIPE.
   */
  readonly maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** postgres:// URL for `pg` and TypeORM, pointing at the unix socket (or loopback TCP). */
  readonly url: string;
  stop(): Promise<void>;
}

type Listener = EmbeddedPostgresWorkerData['listener'];

/** Name libpq and `pg` expect for a server socket in a directory: `.s.PGSQL.<port>`. */
const SOCKET_PORT = 5432;
const SOCKET_FILE = `.s.PGSQL.${SOCKET_PORT}`;
/** sun_path holds 108 bytes on Linux, 104 on macOS; longer paths fall back to loopback TCP. */
const MAX_SOCKET_PATH = 100;

/** Starts PGlite persisted in `dataDir`, served to ordinary Postgres clients over a socket. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? createLogger('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  const startedAt = Date.now();
  await mkdir(dataDir, { recursive: true });
  const listener = await chooseListener(dataDir);
  const worker = new Worker(EMBEDDED_POSTGRES_WORKER_SOURCE, {
    eval: true,
    workerData: {
      pgliteModule: require.resolve('@electric-sql/pglite'),
      socketModule: require.resolve('@electric-sql/pglite-socket'),
      pgDataDir: join(dataDir, 'pgdata'),
      listener,
      maxConnections: options.maxConnections ?? 100,
    } satisfies EmbeddedPostgresWorkerData,
  });
  const started = await nextMessage(worker, 'started').catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  const url = serverUrl(listener, started.address);
  logger.info({ dataDir, url, durationMs: Date.now() - startedAt }, 'embedded Postgres started');
  worker.on('error', (error) => logger.error({ err: error }, 'embedded Postgres worker failed'));
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () => {
      stopping ??= stopWorker(worker, logger);
      return stopping;
    },
  };
}

async function chooseListener(dataDir: string): Promise<Listener> {
  const path = join(dataDir, SOCKET_FILE);
  if (path.length > MAX_SOCKET_PATH) return { host: '127.0.0.1', port: 0 };
  if (await socketAnswers(path)) {
    throw new Error(`embedded Postgres in ${dataDir} is already served by another process (${path})`);
  }
  // A socket file nobody listens on is left over from a process that died without stop().
  await rm(path, { force: true });
  return { path };
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((settle) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      settle(true);
    });
    probe.once('error', () => settle(false));
  });
}

function serverUrl(listener: Listener, address: string): string {
  // PGlite ignores the credentials and serves a single database, "postgres".
  if ('path' in listener) {
    const directory = listener.path.slice(0, -SOCKET_FILE.length - 1);
    return `postgres://postgres:postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(directory)}`;
  }
  return `postgres://postgres:postgres@${address}/postgres`;
}

async function stopWorker(worker: Worker, logger: Logger): Promise<void> {
  const startedAt = Date.now();
  const stopped = nextMessage(worker, 'stopped');
  worker.postMessage('stop');
  try {
    // PGlite's close() also checkpoints, so the next start needs no crash recovery.
    await stopped;
  } finally {
    await worker.terminate();
  }
  logger.info({ durationMs: Date.now() - startedAt }, 'embedded Postgres stopped');
}

type MessageOf<T extends EmbeddedPostgresWorkerMessage['type']> = Extract<
  EmbeddedPostgresWorkerMessage,
  { type: T }
>;

/** The worker's next message of `type`; rejects when it reports a failure or dies first. */
function nextMessage<T extends 'started' | 'stopped'>(worker: Worker, type: T): Promise<MessageOf<T>> {
  return new Promise((settle, fail) => {
    const onMessage = (message: EmbeddedPostgresWorkerMessage): void => {
      if (message.type === type) finish(() => settle(message as MessageOf<T>));
      else if (message.type === 'failed')
        finish(() => fail(new Error(`embedded Postgres: ${message.error}`)));
    };
    const onError = (error: Error): void => finish(() => fail(error));
    const onExit = (code: number): void =>
      finish(() => fail(new Error(`embedded Postgres worker exited with code ${code}`)));
    const finish = (outcome: () => void): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
