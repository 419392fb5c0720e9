import type { AuditActor } from '../compliance/auditTypes';
import type { RemediationResult, StoredRemediation } from '../compliance/remediationTypes';
import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import { jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import { PLAN_MAX_AGE_MS } from './applyStoredOnboardingPlan';
import { REMEDIATION_AUDIT_ACTION, shownRequest, type RemediationDeps } from './planRemediation';

export type RunRemediationResult =
  | { kind: 'unknown' }
  | { kind: 'refused'; reason: 'too_old'; stored: StoredRemediation }
  /** Pressed before (or a replayed invoke): nothing sent now; the first press's state and result. */
  | { kind: 'already'; stored: StoredRemediation }
  | { kind: 'ran'; stored: StoredRemediation; result: RemediationResult };

const SERVICE_OF = {
  'Jamf Pro': 'Jamf Pro',
  'Microsoft Graph': 'Entra ID (Microsoft Graph)',
  Teams: 'Teams',
};

/**
 * **Confirm** on a fix's confirm card: claims the stored request once (its idempotency key) and
 * sends exactly it; the result is stored and audited. A second press, a replay or a press on a
 * card older than an hour sends nothing. A service's refusal (403, 404) becomes a plain result.
 */
export async function runRemediation(
  deps: RemediationDeps,
  opts: { key: string; actor: AuditActor; now: () => Date; log: Logger },
): Promise<RunRemediationResult> {
  const { store } = deps;
  const stored = await store.getRemediation(opts.key);
  if (!stored) return { kind: 'unknown' };
  const audit = (outcome: string, details: Record<string, unknown>) =>
    store.appendAudit({
      at: opts.now().toISOString(),
      actor: opts.actor,
      action: REMEDIATION_AUDIT_ACTION,
      target: stored.macName,
      outcome,
      details: { key: stored.key, kind: stored.kind, computerId: stored.computerId, ...details },
    });
  if (stored.state !== 'planned') {
    await audit('refused', { reason: 'already confirmed: nothing sent again' });
    return { kind: 'already', stored };
  }
  if (opts.now().getTime() - Date.parse(stored.createdAt) > PLAN_MAX_AGE_MS) {
    await audit('refused', { reason: 'confirm card older than an hour' });
    return { kind: 'refused', reason: 'too_old', stored };
  }
  if (!(await store.claimRemediation(stored.key, opts.now().toISOString()))) {
    await audit('refused', { reason: 'already confirmed: nothing sent again' });
    return { kind: 'already', stored: (await store.getRemediation(stored.key)) ?? stored };
  }
  let result: RemediationResult;
  try {
    result = await send(deps, stored, opts.actor);
  } catch (e) {
    opts.log.warn({ err: e, kind: stored.kind, computerId: stored.computerId }, 'device fix failed');
    result = describeFailure(e, stored);
  }
  const at = opts.now().toISOString();
  await store.finishRemediation(stored.key, result, at);
  await audit(result.outcome, {
    request: shownRequest(stored.request),
    result: result.message,
    ...(result.status ? { status: result.status } : {}),
  });
  return { kind: 'ran', stored: { ...stored, state: result.outcome, result, updatedAt: at }, result };
}

async function send(
  deps: RemediationDeps,
  s: StoredRemediation,
  actor: AuditActor,
): Promise<RemediationResult> {
  const p = s.request.params;
  switch (s.kind) {
    case 'recalculate': {
      const { count } = await deps.jamf.recalculateSmartGroups(s.computerId);
      return {
        outcome: 'done',
        message: `Jamf Pro recalculated the smart groups of ${s.macName}${count === null ? '' : `: it is now in ${count} smart group${count === 1 ? '' : 's'}`}. Jamf reports a changed Compliance group to Intune on its own.`,
      };
    }
    case 'wake': {
      const id = p.managementId ?? '';
      const { errorUuids } = await deps.jamf.blankPush([id]);
      return errorUuids.includes(id)
        ? {
            outcome: 'failed',
            message: `Jamf Pro could not send the push to ${s.macName} (it listed its management id as an error).`,
          }
        : {
            outcome: 'done',
            message: `Jamf Pro sent ${s.macName} a blank push: if it is on and online it checks in now, and its next inventory makes it current.`,
          };
    }
    case 'add-to-group': {
      try {
        await deps.graph.addGroupMember(p.groupId ?? '', p.userId ?? '');
      } catch (e) {
        // Graph's 400 for a member already in: the goal is met.
        if (e instanceof UpstreamError && e.code === 'bad_request' && /already exist/i.test(e.message))
          return {
            outcome: 'done',
            message: `${p.upn} was already a member of ${p.groupName}: nothing changed.`,
          };
        throw e;
      }
      return {
        outcome: 'done',
        message: `Added ${p.upn} to ${p.groupName}. Intune accepts this Mac's compliance from Jamf once the connector sees the change (it can take a few hours).`,
      };
    }
    case 'send-fix':
      return deps.sendFix(
        {
          recipientId: p.userId ?? '',
          name: p.name || null,
          upn: p.upn ?? null,
          macs: [
            {
              computerId: s.computerId,
              name: s.macName,
              serialNumber: p.serialNumber || null,
              verdict: p.verdict || 'not_registered',
              selfServiceUrl: p.selfServiceUrl,
            },
          ],
        },
        actor,
      );
  }
}

/** A failure in words: a refusal names the status and what the service needs; never a body or secret. */
function describeFailure(e: unknown, s: StoredRemediation): RemediationResult {
  const service = SERVICE_OF[s.request.service];
  if (!(e instanceof UpstreamError))
    return { outcome: 'failed', message: 'An unexpected error (see the bot’s log). Nothing more was sent.' };
  if (e.code === 'forbidden') {
    const need =
      s.request.service === 'Jamf Pro'
        ? `Give the bot’s Jamf Pro API role ${jamfFeaturePrivileges('remediate').join(' and ')}.`
        : e.permission
          ? `Grant the bot’s app the Graph application permission ${e.permission}.`
          : 'Check the bot’s permissions with setup check.';
    return {
      outcome: 'failed',
      status: 403,
      message: `${service} refused it (403 Forbidden): the bot may not do this. ${need}`,
    };
  }
  if (e.code === 'not_found')
    return {
      outcome: 'failed',
      status: 404,
      message: `${service} answered 404 Not Found: ${s.kind === 'add-to-group' ? 'the group or the user' : s.macName} is not there any more. Press Refresh.`,
    };
  return {
    outcome: 'failed',
    ...(e.status ? { status: e.status } : {}),
    message: `${service} did not do it: ${e.message}.`,
  };
}
