import type { PlanAction } from '../compliance/onboardingTypes';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { PartnerAssignmentTarget } from '../upstream/graph/graphTypes';
import type { JamfClient } from '../upstream/jamf/jamfClient';

/** The tenant changed since the plan in a way Apply must not guess about: plan again. */
export class PlanOutdatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanOutdatedError';
  }
}

/** What one write did: `changed` false when a fresh read showed it was already in place. */
export interface ActionResult {
  changed: boolean;
  detail: string;
}

/** The clients an Apply writes through. */
export interface OnboardingWriters {
  graph: Pick<
    GraphClient,
    'findGroupsByName' | 'createGroup' | 'listCompliancePartners' | 'setPartnerAssignments'
  >;
  jamf: Pick<JamfClient, 'findSmartGroupByName' | 'createSmartGroup'>;
}

/** Carried between the actions of one Apply: the group step 1 created, by display name. */
export interface ApplyRunContext {
  groupIds: Map<string, string>;
}

const sameTarget = (a: PartnerAssignmentTarget, b: PartnerAssignmentTarget): boolean =>
  a.kind === b.kind &&
  (a.kind === 'group'
    ? a.groupId === (b as { groupId: string }).groupId
    : a.odataType === (b as { odataType: string }).odataType);

/**
 * Makes one planned write, after reading the thing again: if it is already in place nothing is
 * written (so Apply twice changes nothing the second time); if the tenant changed so the write
 * would no longer be the one the plan showed, it stops with `PlanOutdatedError`.
 */
export async function applyOnboardingAction(
  writers: OnboardingWriters,
  action: PlanAction,
  run: ApplyRunContext,
): Promise<ActionResult> {
  const { graph, jamf } = writers;
  switch (action.kind) {
    case 'createGroup': {
      const { displayName } = action.group;
      const existing = await graph.findGroupsByName(displayName);
      if (existing.length > 1) {
        throw new PlanOutdatedError(`${existing.length} Entra groups are called “${displayName}” now.`);
      }
      const [found] = existing;
      if (found) {
        run.groupIds.set(displayName, found.id);
        return { changed: false, detail: `The group “${found.displayName}” already exists (${found.id}).` };
      }
      const created = await graph.createGroup(action.group);
      run.groupIds.set(displayName, created.id);
      const kind = action.group.membershipRule ? 'dynamic security group' : 'security group';
      return { changed: true, detail: `Created the ${kind} “${created.displayName}” (${created.id}).` };
    }
    case 'assignConnector': {
      let groupId = action.group.id ?? run.groupIds.get(action.group.displayName) ?? null;
      if (groupId === null) {
        const found = await graph.findGroupsByName(action.group.displayName);
        if (found.length !== 1 || !found[0]) {
          throw new PlanOutdatedError(
            `I expected one Entra group called “${action.group.displayName}” and found ${found.length}.`,
          );
        }
        groupId = found[0].id;
      }
      const partner = (await graph.listCompliancePartners()).find((p) => p.id === action.partnerId);
      if (!partner) throw new PlanOutdatedError('The Jamf compliance partner is no longer in Intune.');
      const current = partner.assignments.macOs;
      const allUsers = current.some((t) => t.kind === 'allUsers');
      if (allUsers && !action.removeAllUsers) {
        throw new PlanOutdatedError(
          'The macOS assignment now targets all users, which the plan did not show.',
        );
      }
      const next: PartnerAssignmentTarget[] = current.filter((t) => t.kind !== 'allUsers');
      const target: PartnerAssignmentTarget = { kind: 'group', groupId };
      if (!next.some((t) => sameTarget(t, target))) next.push(target);
      if (
        next.length === current.length &&
        next.every((t, i) => sameTarget(t, current[i] as PartnerAssignmentTarget))
      ) {
        return {
          changed: false,
          detail: `The macOS assignment already includes “${action.group.displayName}”.`,
        };
      }
      const updated = await graph.setPartnerAssignments(partner.id, 'macOs', next);
      if (!updated.assignments.macOs.some((t) => t.kind === 'group' && t.groupId === groupId)) {
        throw new PlanOutdatedError(
          'Intune accepted the change but the group is not in the assignment read back.',
        );
      }
      return {
        changed: true,
        detail: `Added “${action.group.displayName}” to the macOS assignment${allUsers ? ' and removed the all-users target' : ''}.`,
      };
    }
    case 'createSmartGroup': {
      const { name } = action.group;
      const existing = await jamf.findSmartGroupByName(name);
      if (existing)
        return {
          changed: false,
          detail: `The smart group “${existing.name}” already exists (id ${existing.id}).`,
        };
      const { id } = await jamf.createSmartGroup({
        name,
        description: action.group.description,
        criteria: action.group.criteria.map((c) => ({ ...c, andOr: 'and' as const })),
      });
      return { changed: true, detail: `Created the smart group “${name}” (id ${id}).` };
    }
  }
}
