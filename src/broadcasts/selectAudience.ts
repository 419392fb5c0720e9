import type { AudienceCounts } from '../compliance/audienceCounts';
import type { Diagnosis, Verdict } from '../compliance/diagnosisTypes';
import type { MacRecord } from '../compliance/types';
import type { CampaignAudience, CampaignRecipient } from '../compliance/campaignTypes';

/**
 * Verdicts each audience reminds. Only what the Mac's user can fix: *not registered*, *not
 * compliant* and *stale* (the Mac must check in). *Waiting for first report* and *out of sync*
 * need time or IT, and a reminder would only confuse.
 */
export const AUDIENCE_VERDICTS: Readonly<Record<CampaignAudience, readonly Verdict[]>> = {
  'not-registered': ['not_registered'],
  'non-compliant': ['not_compliant', 'stale'],
  all: ['not_registered', 'not_compliant', 'stale'],
};

export interface AudienceSelection extends AudienceCounts {
  recipients: CampaignRecipient[];
}

/**
 * Who a campaign reminds, from the diagnosed fleet: one recipient per Entra user with the Macs
 * in the audience's verdicts, optionally only members of a group. Pure.
 */
export function selectAudience(
  fleet: readonly { record: MacRecord; diagnosis: Pick<Diagnosis, 'verdict'> }[],
  audience: CampaignAudience,
  groupMemberIds: ReadonlySet<string> | null,
): AudienceSelection {
  const wanted = new Set<Verdict>(AUDIENCE_VERDICTS[audience]);
  const byUser = new Map<string, CampaignRecipient>();
  const macsByVerdict: Partial<Record<Verdict, number>> = {};
  let unreachableMacs = 0;
  const outside = new Set<string>();
  for (const { record, diagnosis } of fleet) {
    if (!wanted.has(diagnosis.verdict)) continue;
    const user = record.user;
    if (!user) {
      unreachableMacs++;
      continue;
    }
    if (groupMemberIds && !groupMemberIds.has(user.id)) {
      outside.add(user.id);
      continue;
    }
    macsByVerdict[diagnosis.verdict] = (macsByVerdict[diagnosis.verdict] ?? 0) + 1;
    let r = byUser.get(user.id);
    if (!r) {
      r = {
        recipientId: user.id,
        name: user.displayName ?? record.jamf.realName,
        upn: user.userPrincipalName,
        macs: [],
      };
      byUser.set(user.id, r);
    }
    r.macs.push({
      computerId: record.jamf.id,
      name: record.jamf.name,
      serialNumber: record.jamf.serialNumber,
      verdict: diagnosis.verdict,
    });
  }
  return { recipients: [...byUser.values()], macsByVerdict, unreachableMacs, outsideGroup: outside.size };
}
