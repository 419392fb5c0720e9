import { UserInputError } from '../errors';
import { listGroupMemberUsers } from '../lookup/listGroupMemberUsers';
import type { DiagnoseFleet, ReadyFleet } from '../lookup/diagnoseFleetSnapshot';
import type { CampaignAudience } from '../compliance/campaignTypes';
import type { GraphClient } from '../upstream/graph/graphClient';
import { selectAudience, type AudienceSelection } from './selectAudience';

export interface LoadAudienceDeps {
  graph: Pick<GraphClient, 'findGroups' | 'batch'>;
  /** Diagnoses the fleet snapshot's Macs at a given time (cached per version and hour). */
  diagnose: DiagnoseFleet;
}

/** Who a campaign would remind, from which snapshot. */
export type LoadedAudience = AudienceSelection & {
  group: { id: string; name: string } | null;
  /** When the fleet snapshot the audience comes from was last synced. */
  asOf: Date;
};

/**
 * The audience from the fleet snapshot at this moment: every applicable Mac diagnosed (as
 * `rollout` does), the people behind the Macs in the audience's verdicts, optionally only the
 * members of one Entra group (by name or id; nested groups count; read live). Each person is
 * still checked live just before their reminder (`recheckRecipient`).
 */
export async function loadAudience(
  deps: LoadAudienceDeps,
  fleet: ReadyFleet,
  opts: { audience: CampaignAudience; groupName: string | null },
  now: Date,
): Promise<LoadedAudience> {
  let group: { id: string; name: string } | null = null;
  let members: Set<string> | null = null;
  if (opts.groupName) {
    const found = await deps.graph.findGroups(opts.groupName);
    if (found.length === 0) {
      throw new UserInputError(
        `I found no Entra group called “${opts.groupName}”.`,
        'Use the group’s exact display name or its object id.',
      );
    }
    if (found.length > 1) {
      throw new UserInputError(
        `${found.length} Entra groups are called “${opts.groupName}”.`,
        'Use the object id of the one you mean.',
      );
    }
    group = { id: found[0]!.id, name: found[0]!.displayName };
    members = new Set((await listGroupMemberUsers(deps.graph, group.id)).memberIds);
  }
  const { records, verdicts } = deps.diagnose(fleet, now);
  const diagnosed = records.map((record, i) => ({ record, diagnosis: { verdict: verdicts[i]! } }));
  return { ...selectAudience(diagnosed, opts.audience, members), group, asOf: fleet.asOf };
}
