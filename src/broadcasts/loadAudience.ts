import { diagnoseMac } from '../compliance/diagnoseMac';
import { UserInputError } from '../errors';
import { listGroupMemberUsers } from '../lookup/listGroupMemberUsers';
import type { AppConfig } from '../config';
import { loadFleet, type LoadFleetDeps } from '../lookup/loadFleet';
import type { CampaignAudience } from '../compliance/campaignTypes';
import { selectAudience, type AudienceSelection } from './selectAudience';

export interface LoadAudienceDeps extends LoadFleetDeps {
  config: Pick<AppConfig, 'criteria' | 'connector'>;
}

/**
 * The audience from the live fleet at this moment: every applicable Mac loaded and diagnosed
 * (as `rollout` does), the people behind the Macs in the audience's verdicts, optionally only
 * the members of one Entra group (by name or id; nested groups count).
 */
export async function loadAudience(
  deps: LoadAudienceDeps,
  opts: { audience: CampaignAudience; groupName: string | null },
  now: Date,
): Promise<AudienceSelection & { group: { id: string; name: string } | null }> {
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
  const { config } = deps;
  const fleet = await loadFleet(
    { jamf: deps.jamf, graph: deps.graph, connectorScope: deps.connectorScope },
    { criteria: config.criteria, connectorName: config.connector.name },
  );
  const groupId = fleet.connector.groupIds[0];
  const connectorGroupName = groupId ? fleet.connector.groupNames[groupId] : undefined;
  const diagnosed = fleet.records.map((record) => ({
    record,
    diagnosis: diagnoseMac(record, config.criteria, now, connectorGroupName ? { connectorGroupName } : {}),
  }));
  return { ...selectAudience(diagnosed, opts.audience, members), group };
}
