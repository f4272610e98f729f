import { logLevel as KafkaLogLevel, type logCreator as KafkaLogCreator, type LogEntry } from 'kafkajs';
import type { Logger } from '../observability/logger';

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** How often the same kafkajs message may be logged above debug. */
const repeatWindowMs = 10_000;

// Expected with our design: the bus retries failed sends itself, forever, with the same
// producer id, so the exactly-once sequencing that the warning worries about is preserved.
const expectedWarnings = ['Limiting retries for the idempotent producer'];

// pino adds its own time; kafkajs's stack traces of routine connection errors are noise.
const omittedFields = new Set(['message', 'timestamp', 'logger', 'stack']);

/** The kafkajs level to ask for: nothing finer than the pino logger would print anyway. */
export function kafkaLogLevelFor(logger: Logger): KafkaLogLevel {
  if (logger.isLevelEnabled('trace')) return KafkaLogLevel.DEBUG;
  if (logger.isLevelEnabled('debug')) return KafkaLogLevel.INFO;
  return KafkaLogLevel.WARN;
}

/**
 * kafkajs reports every failed connection attempt as an ERROR; while the broker is down that is
 * several lines a second from each producer, consumer and admin client, for a condition the bus
 * already handles and reports itself. So kafkajs errors become warnings, its info becomes debug,
 * and a message repeated within 10 s drops to debug.
 */
function pinoLevelFor(level: KafkaLogLevel, message: string): PinoLevel {
  if (expectedWarnings.some((expected) => message.startsWith(expected))) return 'debug';
  switch (level) {
    case KafkaLogLevel.ERROR:
    case KafkaLogLevel.WARN:
      return 'warn';
    case KafkaLogLevel.INFO:
      return 'debug';
    case KafkaLogLevel.DEBUG:
    case KafkaLogLevel.NOTHING:
      return 'trace';
  }
}

export function kafkaLogCreator(logger: Logger): KafkaLogCreator {
  const lastLogged = new Map<string, number>();
  const throttle = (level: PinoLevel, key: string): PinoLevel => {
    if (level !== 'warn') return level;
    const now = Date.now();
    const last = lastLogged.get(key);
    if (last !== undefined && now - last < repeatWindowMs) return 'debug';
    if (lastLogged.size > 1_000) lastLogged.clear();
    lastLogged.set(key, now);
    return level;
  };
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const fields = Object.fromEntries(Object.entries(log).filter(([name]) => !omittedFields.has(name)));
      const pinoLevel = throttle(pinoLevelFor(level, log.message), `${namespace}:${log.message}`);
      logger[pinoLevel]({ kafkajs: namespace, ...fields }, log.message);
    };
}
