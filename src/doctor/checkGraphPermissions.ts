import type { SetupCheck } from '../compliance/setupCheckTypes';
import { GRAPH_FEATURES, missingGraphPermissions } from '../upstream/graph/graphFeaturePermissions';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/**
 * The `roles` of a freshly issued Graph token against what each enabled feature needs
 * (`GRAPH_FEATURES`): a feature switched off by its setting needs nothing. Reads the bot's own
 * token, so it needs no admin API and shows what Graph will actually allow.
 */
export async function checkGraphPermissions(deps: Pick<SetupCheckDeps, 'graph' | 'config'>): Promise<Result> {
  const claims = await deps.graph.tokenClaims({ fresh: true });
  const enabled = GRAPH_FEATURES.filter(
    (f) => f.switchedOffBy !== 'PROACTIVE_INSTALL=false' || deps.config.broadcast.proactiveInstall,
  );
  const off = GRAPH_FEATURES.filter((f) => !enabled.includes(f));
  const gaps = enabled
    .map((f) => ({ feature: f, missing: missingGraphPermissions(f, claims.roles) }))
    .filter((g) => g.missing.length > 0);
  const offNote = off.length ? ` Not needed while switched off: ${off.map((f) => f.label).join('; ')}.` : '';
  // Graph installs only the Teams app whose webApplicationInfo.id is the calling app, and the
  // manifest names the bot's app id there.
  const botAppId = deps.config.bot.appId.toLowerCase();
  const graphAppId = claims.appId?.toLowerCase() ?? null;
  if (
    gaps.length === 0 &&
    deps.config.broadcast.proactiveInstall &&
    botAppId &&
    graphAppId &&
    graphAppId !== botAppId
  ) {
    return {
      status: 'warn',
      detail: `The app’s token grants what every enabled feature needs, but it is app ${graphAppId}, not the bot (${botAppId}): Graph installs the Teams app only for the app its manifest names (webApplicationInfo), so proactive install will be refused.`,
      fix: 'Read Graph as the bot’s own identity (GRAPH_AUTH=managed-identity with the bot’s managed identity, or GRAPH_CLIENT_ID = MICROSOFT_APP_ID), or set PROACTIVE_INSTALL=false and pre-install the app for everyone in the Teams admin center.',
    };
  }
  if (gaps.length === 0) {
    return {
      status: 'pass',
      detail: `The app’s token grants what every enabled feature needs (${claims.roles.length} application permissions).${offNote}`,
    };
  }
  const all = [...new Set(gaps.flatMap((g) => g.missing))];
  const names = `${all.length > 1 ? 's' : ''} ${all.join(', ')}`;
  return {
    status: 'fail',
    detail: `The app’s token lacks ${gaps.map((g) => `${g.missing.join(', ')} (for ${g.feature.label})`).join('; ')}.${offNote}`,
    // A managed identity has no app registration page and no consent screen: its permissions are
    // app role assignments, and its tokens are cached by Azure for up to a day.
    fix:
      deps.config.graph.auth === 'managed-identity'
        ? `Assign the managed identity the Microsoft Graph application permission${names} (a Privileged Role Administrator: \`GRANT_TO_APP_ID=<the identity's client id> GRAPH_APP_ROLES_GRANT=auto npx tsx scripts/grantGraphAppRoles.ts\`, or the \`az rest\` commands in docs/deploy.md); the identity's tokens carry new roles within hours (Azure caches them up to 24 h) or after a restart of the app.`
        : `In Entra ID › App registrations › the app of GRAPH_CLIENT_ID › API permissions, add the Microsoft Graph **application** permission${names} and **Grant admin consent**; then run the check again (a new token carries them).`,
  };
}
