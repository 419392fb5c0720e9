import type { SetupCheck } from '../compliance/setupCheckTypes';
import { JAMF_FEATURES, jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/** The Jamf Pro API client's privileges (`GET /api/v1/auth`) against what each feature needs (`JAMF_FEATURES`). */
export async function checkJamfPrivileges(deps: Pick<SetupCheckDeps, 'jamf'>): Promise<Result> {
  const held = new Set((await deps.jamf.getPrivileges()).map((p) => p.toLowerCase()));
  const gaps = JAMF_FEATURES.map((f) => ({
    feature: f,
    missing: jamfFeaturePrivileges(f.id).filter((p) => !held.has(p.toLowerCase())),
  })).filter((g) => g.missing.length > 0);
  if (gaps.length === 0) {
    return { status: 'pass', detail: 'The API role has every privilege the bot’s features use.' };
  }
  const all = [...new Set(gaps.flatMap((g) => g.missing))];
  return {
    status: 'fail',
    detail: `The API role lacks ${gaps.map((g) => `${g.missing.join(', ')} (for ${g.feature.label})`).join('; ')}.`,
    fix: `In Jamf Pro › Settings › System › API roles and clients, add ${all.map((p) => `**${p}**`).join(', ')} to the API role of the client in JAMF_CLIENT_ID.`,
  };
}
