import type { AuditActor } from '../compliance/auditTypes';
import type { WebhookPlan, WebhookPlanItem } from '../compliance/planJamfWebhooks';
import { webhookSettings } from '../compliance/planJamfWebhooks';
import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import type { AuditLog } from '../store/ports/auditLog';
import type { OnboardingPlanStore } from '../store/ports/onboardingPlanStore';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import { PLAN_MAX_AGE_MS } from './applyStoredOnboardingPlan';
import { WEBHOOK_PLAN_KIND, type PlannedWebhooks } from './planWebhookSetup';
import { readWebhookSetup, type WebhookSetupBlocked, type WebhookSetupDeps } from './readWebhookSetup';

/** An Apply that has not finished after this long is assumed dead and may be retried. */
const RUN_STALE_MS = 10 * 60_000;

export interface ApplyWebhookSetupDeps extends WebhookSetupDeps {
  jamf: WebhookSetupDeps['jamf'] & Pick<JamfClient, 'createWebhook' | 'updateWebhook'>;
  store: Pick<OnboardingPlanStore, 'getOnboardingPlan' | 'claimOnboardingPlan' | 'finishOnboardingPlan'> &
    Pick<AuditLog, 'appendAudit'>;
}

/** What Apply did to one webhook. */
export interface WebhookApplyResult {
  name: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'failed';
  /** Jamf's id after the write (created, updated, unchanged). */
  id: string | null;
  /** Why it failed, in words an admin can act on (never a secret or a response body). */
  detail: string;
}

export type ApplyWebhookSetupResult =
  | { kind: 'unknown' }
  | { kind: 'refused'; reason: 'too_old' | 'busy' }
  | WebhookSetupBlocked
  | (Omit<PlannedWebhooks, 'kind'> & { kind: 'ran'; results: WebhookApplyResult[] });

/** Why a write failed, with the fix. */
function describeFailure(e: unknown): string {
  if (e instanceof UpstreamError) {
    const hint =
      e.code === 'forbidden'
        ? ` Give the bot’s Jamf Pro API role ${jamfFeaturePrivileges('setupWebhooksApply').join(' and ')}, then press Apply again.`
        : e.code === 'conflict'
          ? ' A webhook with that name already exists: rename or delete it in Jamf Pro, then plan again.'
          : e.code === 'throttled' || e.code === 'unavailable' || e.code === 'timeout'
            ? ' Press Apply again in a few minutes.'
            : '';
    return `${e.message}.${hint}`;
  }
  return 'An unexpected error (see the bot’s log).';
}

/**
 * **Apply** on the `setup webhooks` card: re-reads Jamf Pro and makes the webhooks right (create
 * or update, each audited; the first failure stops), then re-reads and re-plans, so the card
 * shows what Jamf Pro now has. Idempotent: a second Apply finds everything right and changes
 * nothing. One run at a time per plan; a plan older than an hour is refused.
 */
export async function applyWebhookSetup(
  deps: ApplyWebhookSetupDeps,
  opts: { planId: string; actor: AuditActor; now: () => Date; log: Logger },
): Promise<ApplyWebhookSetupResult> {
  const { store } = deps;
  const { planId, actor, log } = opts;
  const stored = await store.getOnboardingPlan(planId);
  if (!stored || stored.plan.kind !== WEBHOOK_PLAN_KIND) return { kind: 'unknown' };
  const now = opts.now();
  const audit = (outcome: string, details: Record<string, unknown>) =>
    store.appendAudit({
      at: opts.now().toISOString(),
      actor,
      action: 'webhooks.apply',
      target: stored.target,
      outcome,
      details: { planId, ...details },
    });
  if (now.getTime() - Date.parse(stored.createdAt) > PLAN_MAX_AGE_MS) {
    await audit('refused', { reason: 'plan older than an hour' });
    return { kind: 'refused', reason: 'too_old' };
  }
  const claimed = await store.claimOnboardingPlan(
    planId,
    now.toISOString(),
    new Date(now.getTime() - RUN_STALE_MS).toISOString(),
  );
  if (!claimed) {
    await audit('refused', { reason: 'already being applied' });
    return { kind: 'refused', reason: 'busy' };
  }
  let ok = false;
  try {
    const before = await readWebhookSetup(deps);
    if (before.kind === 'blocked') return before;
    const results: WebhookApplyResult[] = [];
    let failed = false;
    for (const item of before.plan.items) {
      if (failed || item.action === 'ok') {
        results.push(unchangedOrSkipped(item, failed));
        continue;
      }
      const settings = webhookSettings(item.desired, before.target);
      const facts = { webhook: item.desired.name, event: item.desired.event, changes: item.changes };
      try {
        if (item.action === 'create' || item.existingId === null) {
          const { id } = await deps.jamf.createWebhook(settings);
          results.push({ name: item.desired.name, outcome: 'created', id, detail: '' });
          await audit('created', { ...facts, id });
        } else {
          await deps.jamf.updateWebhook(item.existingId, settings);
          results.push({ name: item.desired.name, outcome: 'updated', id: item.existingId, detail: '' });
          await audit('updated', { ...facts, id: item.existingId });
        }
      } catch (e) {
        failed = true;
        const detail = describeFailure(e);
        log.warn({ err: e, webhook: item.desired.name }, 'setup webhooks: write failed');
        results.push({ name: item.desired.name, outcome: 'failed', id: item.existingId, detail });
        await audit('failed', { ...facts, id: item.existingId, reason: detail });
      }
    }
    const after = await readWebhookSetup(deps);
    const plan: WebhookPlan = after.kind === 'ready' ? after.plan : before.plan;
    ok = !failed;
    await audit(failed ? 'failed' : 'applied', {
      summary: `${results.filter((r) => r.outcome === 'created').length} created, ${results.filter((r) => r.outcome === 'updated').length} updated, ${results.filter((r) => r.outcome === 'unchanged').length} already right.`,
    });
    return { kind: 'ran', stored, plan, results };
  } finally {
    await store.finishOnboardingPlan(planId, ok ? 'applied' : 'failed', opts.now().toISOString());
  }
}

function unchangedOrSkipped(item: WebhookPlanItem, afterFailure: boolean): WebhookApplyResult {
  return afterFailure && item.action !== 'ok'
    ? {
        name: item.desired.name,
        outcome: 'failed',
        id: item.existingId,
        detail: 'Not tried: an earlier write failed.',
      }
    : { name: item.desired.name, outcome: 'unchanged', id: item.existingId, detail: '' };
}
