import type { Logger } from './log';

/**
 * Ctrl-C (SIGINT) and SIGTERM stop the process once: `stop` lets the turns in flight finish
 * (up to `graceMs`) and closes what the entry started, then the process exits 0 (1 if `stop` failed).
 */
export function stopOnSignals(logger: Logger, graceMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs }, 'shutting down: finishing the turns in flight');
    try {
      await stop();
    } catch (e) {
      logger.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
