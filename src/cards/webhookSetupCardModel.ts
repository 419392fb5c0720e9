import type { WebhookField, WebhookPlan } from '../compliance/planJamfWebhooks';
import type { ContainerStyle } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';
import { formatWhen } from './formatDate';

/** The `webhookSetup` template's model. */
export interface WebhookSetupCardModel {
  style: ContainerStyle;
  title: string;
  summary: string;
  url: string;
  authentication: string;
  webhooks: readonly {
    heading: string;
    status: string;
    purpose: string;
    changes: string;
    result: string;
    resultStyle: ContainerStyle;
  }[];
  footer: string;
  canApply: boolean;
  applyTitle: string;
  /** Sent back by **Apply**. */
  planId: string;
}

/** What Apply did to one webhook, as the card shows it. */
export interface WebhookSetupCardResult {
  name: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'failed';
  detail: string;
}

export interface WebhookSetupCardOptions {
  planId: string;
  plannedBy: string;
  plannedAt: string;
  now: Date;
  /** After Apply: each webhook's outcome (the plan is then Jamf's state after the writes). */
  results?: readonly WebhookSetupCardResult[] | null;
}

const FIELD: Record<WebhookField, string> = {
  enabled: 'enable it',
  url: 'address',
  contentType: 'format (JSON)',
  event: 'event',
  authentication: 'header authentication',
  header: 'header secret',
  smartGroup: 'smart group',
  timeouts: 'time-outs',
};

const RESULT: Record<WebhookSetupCardResult['outcome'], string> = {
  created: '✅ Created',
  updated: '✅ Updated',
  unchanged: '✅ Already right — nothing changed',
  failed: '❌ Failed',
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function header(
  plan: WebhookPlan,
  results: readonly WebhookSetupCardResult[] | null,
): Pick<WebhookSetupCardModel, 'style' | 'title' | 'summary'> {
  if (!results) {
    if (plan.changeCount === 0)
      return {
        style: 'good',
        title: 'Jamf Pro webhooks: nothing to change',
        summary: 'Every webhook the bot needs is in Jamf Pro, enabled and pointing here.',
      };
    return {
      style: 'accent',
      title: `Jamf Pro webhooks: ${plural(plan.changeCount, 'change', 'changes')} to apply`,
      summary:
        'This is a plan: nothing has changed yet. An admin presses **Apply** to create or update the webhooks marked ➕; each is read again just before.',
    };
  }
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const changed = results.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length;
  if (failed)
    return {
      style: 'attention',
      title: 'Jamf Pro webhooks: Apply failed',
      summary: `${plural(changed, 'webhook was', 'webhooks were')} changed and recorded in the audit log. Fix the cause below and press **Apply** again: what is right is skipped.`,
    };
  return {
    style: 'good',
    title: changed ? 'Jamf Pro webhooks are set up' : 'Nothing changed: the webhooks were already set up',
    summary: changed
      ? `${plural(changed, 'webhook', 'webhooks')} created or updated and recorded in the audit log.`
      : 'Every webhook was already right.',
  };
}

/**
 * The `setup webhooks` card: where Jamf Pro will post and how it authenticates (the header's
 * name, never its value), then each webhook with create / update / already right, and after
 * Apply what happened to it. **Apply** shows while there is something to apply.
 */
export function webhookSetupCardModel(
  plan: WebhookPlan,
  opts: WebhookSetupCardOptions,
): WebhookSetupCardModel {
  const results = opts.results ?? null;
  const webhooks = plan.items.map((i): WebhookSetupCardModel['webhooks'][number] => {
    const r = results?.find((x) => x.name === i.desired.name);
    const status = r
      ? RESULT[r.outcome]
      : i.action === 'create'
        ? '➕ Create'
        : i.action === 'update'
          ? '✏️ Update'
          : '✅ Already right';
    const changes =
      !r && i.action === 'update' ? `➕ Change: ${i.changes.map((c) => FIELD[c]).join(', ')}` : '';
    const unverified =
      i.unverifiedHeader && !r ? ' Jamf Pro does not show the header’s value, so it was not compared.' : '';
    return {
      heading: `**${escapeMarkdown(i.desired.name)}**`,
      status,
      purpose: `${escapeMarkdown(i.desired.purpose)}${unverified}`,
      changes,
      result: r?.detail ? escapeMarkdown(r.detail) : '',
      resultStyle: r?.outcome === 'failed' ? 'attention' : 'good',
    };
  });
  const failed = results?.some((r) => r.outcome === 'failed') ?? false;
  return {
    ...header(plan, results),
    url: plan.url,
    authentication: `Header ${plan.headerName} with the secret in JAMF_WEBHOOK_SECRET (never shown)`,
    webhooks,
    footer: `Planned by ${escapeMarkdown(opts.plannedBy)} ${formatWhen(opts.plannedAt, opts.now)} · plan ${opts.planId.slice(0, 8)}`,
    canApply: plan.changeCount > 0 && (!results || failed),
    applyTitle: failed ? 'Apply again' : 'Apply',
    planId: opts.planId,
  };
}
