/** Runs `close` on SIGTERM or SIGINT, then exits 0 (1 when closing failed). */
export function onTermination(close: () => Promise<void>): void {
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
