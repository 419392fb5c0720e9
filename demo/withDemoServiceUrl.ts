import type { AppConfig } from '../src/config';

/**
 * Where the demo's reminders go: an explicitly set `BOT_SERVICE_URL` (`config.broadcast.serviceUrl`)
 * wins — someone pointed the demo at a real or their own Bot Connector on purpose — and only
 * without one does the demo's Bot Connector stand-in take its place. `note` is the one log line
 * that says which is used.
 */
export function withDemoServiceUrl(
  config: AppConfig,
  standInUrl: string,
): { config: AppConfig; used: 'BOT_SERVICE_URL' | 'stand-in'; note: string } {
  const configured = config.broadcast.serviceUrl;
  if (configured) {
    return {
      config,
      used: 'BOT_SERVICE_URL',
      note: `reminders go to BOT_SERVICE_URL ${configured} (set explicitly), not to the demo's Bot Connector stand-in`,
    };
  }
  return {
    config: { ...config, broadcast: { ...config.broadcast, serviceUrl: standInUrl } },
    used: 'stand-in',
    note: `reminders go to the demo's Bot Connector stand-in ${standInUrl} (BOT_SERVICE_URL is not set)`,
  };
}
