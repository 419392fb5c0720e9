import { diagnoseMac } from '../compliance/diagnoseMac';
import type { CallerMacs } from '../compliance/callerMacs';
import type { DiagnosisContext } from '../compliance/diagnosisTypes';
import type { ComplianceCriteria, EntraDevice } from '../compliance/types';
import { UpstreamError, UserInputError } from '../errors';
import { lookupMacs, type LookupDeps } from './lookupMacs';

const isMacOs = (d: EntraDevice): boolean => /^mac/i.test(d.operatingSystem ?? '');

/**
 * The caller's own Macs, found only from the authenticated activity's Entra object id: Graph
 * `users/{id}` (UPN and mail) and the devices they registered or own, Jamf by that UPN/mail.
 * Nothing the person typed is used, so nobody can ask about someone else's Mac.
 * Throws `UserInputError` when the activity carries no Entra identity or Entra does not know
 * them, and the upstream error when neither service answered.
 */
export async function lookupCallerMacs(
  aadObjectId: string | null,
  deps: LookupDeps,
  criteria: ComplianceCriteria,
  now: Date,
  context: Pick<DiagnosisContext, 'selfServicePolicyName'> = {},
): Promise<CallerMacs> {
  if (!aadObjectId) {
    throw new UserInputError(
      'Teams did not tell me who you are, so I cannot look up your Mac.',
      'Open a 1:1 chat with me in Teams with your work account and ask again.',
    );
  }
  const lookup = await lookupMacs({ kind: 'entra-user', value: aadObjectId }, deps);
  const graphDown = lookup.failures.find((f) => f.service === 'graph');
  const jamfDown = lookup.failures.find((f) => f.service === 'jamf');
  if (!lookup.user) {
    if (graphDown) throw graphDown.error;
    throw new UserInputError(
      'I could not find your account in Entra ID, so I cannot look up your Mac.',
      'Contact IT: your Teams account may not be the one your Mac is registered to.',
    );
  }
  if (jamfDown && graphDown) throw jamfDown.error;

  const groupId = lookup.connector?.groupIds[0];
  const connectorGroupName = (groupId && lookup.connector?.groupNames[groupId]) || null;
  const diagnosisContext: DiagnosisContext = {
    ...context,
    ...(connectorGroupName ? { connectorGroupName } : {}),
  };
  const macs = lookup.records.map((record) => ({
    record,
    diagnosis: graphDown ? null : diagnoseMac(record, criteria, now, diagnosisContext),
  }));

  // Membership is known from the records when there are any; without a Mac, ask Graph directly.
  let inConnectorGroup =
    lookup.records.find((r) => r.userInConnectorGroup !== null)?.userInConnectorGroup ?? null;
  const groupIds = lookup.connector?.groupIds ?? [];
  if (inConnectorGroup === null && !graphDown && lookup.connector) {
    // No group (or *all users*): there is no membership to check.
    if (groupIds.length > 0) {
      try {
        inConnectorGroup = (await deps.graph.checkMemberGroups(lookup.user.id, groupIds)).length > 0;
      } catch (e) {
        if (!(e instanceof UpstreamError)) throw e;
      }
    }
  }

  return {
    user: lookup.user,
    macs,
    entraOnly: lookup.entraOnly.filter(isMacOs),
    inConnectorGroup,
    connectorGroupName,
    failures: lookup.failures,
  };
}
