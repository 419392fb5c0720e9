import type { AppConfig } from '../src/config';
import { DEMO_BOT_ID, DEMO_PEOPLE } from './demoIdentities';

/**
 * What the demo tenant supplies that a real tenant's settings would: the bot's manifest id (the
 * one `.m365agentsplayground.yml` and the simulated app catalog use) when neither TEAMS_APP_ID nor
 * MICROSOFT_APP_ID is set, and, in local demo mode without ADMIN_USER_IDS, the demo admins (so
 * the Playground's user can run admin commands). With app credentials nobody is an admin by
 * default, as in production.
 */
export function withDemoIdentities(config: AppConfig): AppConfig {
  const demoAdmins =
    config.mode === 'demo' && config.bot.localMode && config.access.adminUserIds.length === 0;
  return {
    ...config,
    bot: { ...config.bot, manifestId: config.bot.manifestId || DEMO_BOT_ID },
    access: demoAdmins
      ? { ...config.access, adminUserIds: DEMO_PEOPLE.filter((p) => p.admin).map((p) => p.aadObjectId) }
      : config.access,
  };
}
