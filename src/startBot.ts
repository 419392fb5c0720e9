import { createApp, type App, type AppDeps } from './app';
import type { AppConfig } from './config';
import { adminAccessWarning } from './teams/accessPolicy';

export interface RunningBot {
  app: App;
  /** Where it listens, e.g. `http://127.0.0.1:3978` (the bot endpoint is `${url}/api/messages`). */
  url: string;
  /** Graceful stop (`App.close`). */
  close(): Promise<void>;
}

/**
 * The one start path of the bot, for the production entry (src/main.ts) and the demo entry
 * (demo/main.ts): build the app from a finished config, listen, start the scheduler, and warn
 * about what a person should know (no token checks, nobody an admin).
 */
export async function startBot(config: AppConfig, deps: AppDeps): Promise<RunningBot> {
  const { logger } = deps;
  const app = createApp(config, deps);
  const { url } = await app.listen();
  logger.info({ url, mode: config.mode }, `bot listening on ${url}/api/messages`);
  app.scheduler.start();
  // The fleet snapshot: built now (or the interrupted build continued), then kept fresh.
  app.fleetSync.start();
  logger.info(
    {
      connectorCheckMinutes: config.alerts.connectorCheckMinutes,
      snapshotHourUtc: config.rollout.snapshotHourUtc,
      fleetSyncMinutes: config.fleetSync.intervalMinutes,
      fullResyncCron: config.fleetSync.fullResyncCron || null,
    },
    'scheduler started: connector check, daily rollout snapshot and the fleet sync',
  );
  if (config.bot.localMode) {
    logger.warn(
      'local mode: MICROSOFT_APP_ID is not set, so Bot Framework tokens are NOT checked; listening on 127.0.0.1 only',
    );
  }
  const noAdmins = adminAccessWarning(config);
  if (noAdmins) logger.warn(`default deny: ${noAdmins}`);
  return { app, url, close: () => app.close() };
}
