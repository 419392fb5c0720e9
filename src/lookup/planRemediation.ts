import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../compliance/auditTypes';
import type { CampaignRecipient } from '../compliance/campaignTypes';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type {
  RemediationKind,
  RemediationRequest,
  RemediationResult,
  StoredRemediation,
} from '../compliance/remediationTypes';
import { remediationsFor } from '../compliance/remediationsFor';
import { selfServicePolicyLink } from '../compliance/selfServiceLink';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';
import type { AuditLog } from '../store/ports/auditLog';
import type { RemediationStore } from '../store/ports/remediationStore';
import { DIRECTORY_OBJECT_BASE, type GraphClient } from '../upstream/graph/graphClient';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import type { LookupQuery, MacLookup } from './lookupMacs';
import { findRegistrationPolicy } from './readOnboardingState';

/** The audit log's action for every device-card fix. */
export const REMEDIATION_AUDIT_ACTION = 'device.fix';

export interface RemediationDeps {
  /** Finds and joins one Mac by Jamf id, live. */
  lookupMacs: (query: LookupQuery) => Promise<MacLookup>;
  criteria: ComplianceCriteria;
  jamf: Pick<
    JamfClient,
    'getManagementId' | 'recalculateSmartGroups' | 'blankPush' | 'listPolicies' | 'getPolicy'
  >;
  graph: Pick<GraphClient, 'getGroup' | 'addGroupMember'>;
  store: RemediationStore & Pick<AuditLog, 'appendAudit'>;
  /** `SELF_SERVICE_POLICY_NAME`: the registration policy *Send the user the fix* links to. */
  selfServicePolicyName: string;
  /** The personal reminder for one Mac, through the campaigns' outbox; its outcome in words. */
  sendFix: (recipient: CampaignRecipient, actor: AuditActor) => Promise<RemediationResult>;
  newKey?: () => string;
}

export type PlanRemediationResult =
  | { kind: 'unavailable'; message: string }
  /** *Add the user to the connector group* on a dynamic group: nothing to send, the rule to show. */
  | { kind: 'dynamic'; macName: string; computerId: string; groupName: string; rule: string; userUpn: string }
  | { kind: 'planned'; stored: StoredRemediation };

/** What a planned fix needs beyond the request: who it is about. */
interface Planned {
  request: RemediationRequest;
}

/**
 * The first press of a fix on a device card: reads the Mac again, checks the fix can help its
 * verdict now, and works out exactly the request Confirm will send (which service, path, body),
 * stored under a fresh idempotency key and audited as `planned`. Nothing is sent yet.
 */
export async function planRemediation(
  deps: RemediationDeps,
  opts: { computerId: string; kind: RemediationKind; actor: AuditActor; now: Date },
): Promise<PlanRemediationResult> {
  const { computerId, kind, actor, now } = opts;
  const lookup = await deps.lookupMacs({ kind: 'jamf-id', value: computerId });
  const failure = lookup.failures[0];
  if (failure) throw failure.error;
  const record = lookup.records[0];
  if (!record) return { kind: 'unavailable', message: 'That Mac is no longer in Jamf Pro.' };
  const groupId = lookup.connector?.groupIds[0] ?? null;
  const groupName = groupId ? (lookup.connector?.groupNames[groupId] ?? groupId) : '';
  const diagnosis = diagnoseMac(
    record,
    deps.criteria,
    now,
    groupName ? { connectorGroupName: groupName } : {},
  );
  if (!remediationsFor(record, diagnosis, { connectorGroupId: groupId }).includes(kind)) {
    return {
      kind: 'unavailable',
      message: `That fix cannot help ${record.jamf.name} now (${diagnosis.verdict.replace(/_/g, ' ')}). Press **Refresh** for what can.`,
    };
  }
  const planned = await planRequest(deps, kind, record, groupId, groupName, diagnosis.verdict);
  if ('unavailable' in planned) return { kind: 'unavailable', message: planned.unavailable };
  if ('dynamic' in planned) {
    await deps.store.appendAudit({
      at: now.toISOString(),
      actor,
      action: REMEDIATION_AUDIT_ACTION,
      target: record.jamf.name,
      outcome: 'not_possible',
      details: {
        kind,
        computerId,
        group: groupName,
        reason: 'dynamic group',
        membershipRule: planned.dynamic,
      },
    });
    return {
      kind: 'dynamic',
      macName: record.jamf.name,
      computerId,
      groupName,
      rule: planned.dynamic,
      userUpn: record.user?.userPrincipalName ?? '',
    };
  }
  const stored: StoredRemediation = {
    key: (deps.newKey ?? randomUUID)(),
    kind,
    computerId,
    macName: record.jamf.name,
    request: planned.request,
    createdAt: now.toISOString(),
    createdBy: actor,
    state: 'planned',
    result: null,
    updatedAt: now.toISOString(),
  };
  await deps.store.saveRemediation(stored);
  await deps.store.appendAudit({
    at: now.toISOString(),
    actor,
    action: REMEDIATION_AUDIT_ACTION,
    target: record.jamf.name,
    outcome: 'planned',
    details: { key: stored.key, kind, computerId, request: shownRequest(stored.request) },
  });
  return { kind: 'planned', stored };
}

/** The request as the confirm card and the audit log show it (ids it needs only to run left out). */
export function shownRequest(r: RemediationRequest): Omit<RemediationRequest, 'params'> {
  return { service: r.service, method: r.method, path: r.path, body: r.body };
}

async function planRequest(
  deps: RemediationDeps,
  kind: RemediationKind,
  record: MacRecord,
  groupId: string | null,
  groupName: string,
  verdict: string,
): Promise<Planned | { unavailable: string } | { dynamic: string }> {
  const id = record.jamf.id;
  switch (kind) {
    case 'recalculate':
      return {
        request: {
          service: 'Jamf Pro',
          method: 'POST',
          path: `/api/v1/computers/${id}/recalculate-smart-groups`,
          body: null,
          params: { computerId: id },
        },
      };
    case 'wake': {
      const managementId = await deps.jamf.getManagementId(id);
      if (!managementId)
        return {
          unavailable: `Jamf Pro has no MDM management id for ${record.jamf.name}, so it cannot be woken with a push: is it still enrolled?`,
        };
      return {
        request: {
          service: 'Jamf Pro',
          method: 'POST',
          path: '/api/v2/mdm/blank-push',
          body: { clientManagementIds: [managementId] },
          params: { managementId },
        },
      };
    }
    case 'add-to-group': {
      const user = record.user;
      if (!user || !groupId)
        return { unavailable: 'The Mac has no Entra user, or the connector has no group.' };
      const group = await deps.graph.getGroup(groupId);
      if (!group)
        return { unavailable: `Entra ID has no group ${groupName} any more: check \`connector status\`.` };
      if (group.groupTypes.includes('DynamicMembership'))
        return { dynamic: group.membershipRule ?? '(no rule set)' };
      return {
        request: {
          service: 'Microsoft Graph',
          method: 'POST',
          path: `/groups/${groupId}/members/$ref`,
          body: { '@odata.id': `${DIRECTORY_OBJECT_BASE}${user.id}` },
          params: { groupId, groupName: group.displayName, userId: user.id, upn: user.userPrincipalName },
        },
      };
    }
    case 'send-fix': {
      const user = record.user;
      if (!user)
        return {
          unavailable: `${record.jamf.name} has no user in Entra ID, so there is nobody to send it to.`,
        };
      const found = await findRegistrationPolicy(deps.jamf, deps.selfServicePolicyName);
      if (!found.policy)
        return {
          unavailable: `Jamf Pro has no Self Service policy named “${deps.selfServicePolicyName}” (\`SELF_SERVICE_POLICY_NAME\`) to link to.`,
        };
      const link = selfServicePolicyLink(found.policy.id);
      return {
        request: {
          service: 'Teams',
          method: 'POST',
          path: `personal reminder to ${user.userPrincipalName} (their 1:1 chat with the bot)`,
          body: {
            to: user.userPrincipalName,
            mac: record.jamf.serialNumber
              ? `${record.jamf.name} (${record.jamf.serialNumber})`
              : record.jamf.name,
            selfServiceLink: link,
          },
          params: {
            userId: user.id,
            upn: user.userPrincipalName,
            name: user.displayName ?? '',
            serialNumber: record.jamf.serialNumber ?? '',
            verdict,
            selfServiceUrl: link,
          },
        },
      };
    }
  }
}
