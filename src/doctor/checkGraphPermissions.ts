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
  if (gaps.length === 0) {
    return {
      status: 'pass',
      detail: `The app’s token grants what every enabled feature needs (${claims.roles.length} application permissions).${offNote}`,
    };
  }
  const all = [...new Set(gaps.flatMap((g) => g.missing))];
  return {
    status: 'fail',
    detail: `The app’s token lacks ${gaps.map((g) => `${g.missing.join(', ')} (for ${g.feature.label})`).join('; ')}.${offNote}`,
    fix: `In Entra ID › App registrations › the app of GRAPH_CLIENT_ID › API permissions, add the Microsoft Graph **application** permission${all.length > 1 ? 's' : ''} ${all.join(', ')} and **Grant admin consent**; then run the check again (a new token carries them).`,
  };
}
