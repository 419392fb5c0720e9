import type { SetupCheck } from '../compliance/setupCheckTypes';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

const UPLOAD = 'Teams admin center › Teams apps › Manage apps › Upload new app';

/**
 * The bot's Teams app in the org catalog under the manifest id it runs as: proactive install
 * (reminders to people who never opened the bot) installs that catalog entry. Skipped when
 * PROACTIVE_INSTALL=false: nothing then installs the app.
 */
export async function checkTeamsCatalog(deps: Pick<SetupCheckDeps, 'graph' | 'config'>): Promise<Result> {
  if (!deps.config.broadcast.proactiveInstall) {
    return {
      status: 'skip',
      detail: 'PROACTIVE_INSTALL=false: reminders go only to people who already have the app.',
    };
  }
  const manifestId = deps.config.bot.manifestId;
  if (!manifestId) {
    return {
      status: 'fail',
      detail: 'No manifest id to look for: neither TEAMS_APP_ID nor MICROSOFT_APP_ID is set.',
      fix: 'Set TEAMS_APP_ID to the id in appPackage/manifest.json (by default the bot’s MICROSOFT_APP_ID).',
    };
  }
  const catalogId = await deps.graph.findCatalogAppId(manifestId);
  if (catalogId === null) {
    return {
      status: 'fail',
      detail: `The org app catalog has no Teams app with the manifest id ${manifestId}, so reminders to people without the app fail (install_refused).`,
      fix: `Build the package (npm run package) and upload it in ${UPLOAD}; if the catalog holds it under another id, set TEAMS_APP_ID to that manifest id.`,
    };
  }
  return { status: 'pass', detail: `The org catalog holds the app (manifest id ${manifestId}).` };
}
