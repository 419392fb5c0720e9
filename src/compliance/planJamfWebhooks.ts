import type { BotWebhookEvent, JamfWebhook, JamfWebhookSettings } from './jamfWebhookTypes';

/** The bot's webhooks are named after it, so a second plan finds the ones the first created. */
export const BOT_WEBHOOK_PREFIX = 'Jamf Compliance bot';

/** What the bot needs, given where it listens and which smart group is *Compliance*. */
export interface WebhookTarget {
  /** `${PUBLIC_URL}/api/webhooks/jamf`. */
  url: string;
  headerName: string;
  /** The secret; it goes only into the write, never into a plan, a card or the audit log. */
  secret: string;
  /** The Compliance smart group's Jamf id. */
  complianceGroupId: string;
  complianceGroupName: string;
}

/** One webhook the bot needs, without its secret. */
export interface DesiredWebhook {
  name: string;
  event: BotWebhookEvent;
  /** Null = not limited to a smart group. */
  smartGroupId: string | null;
  /** Shown on the card: why the bot needs it. */
  purpose: string;
}

/** The settings that differ; `header` is named but its value is never shown. */
export type WebhookField =
  'enabled' | 'url' | 'contentType' | 'event' | 'authentication' | 'header' | 'smartGroup' | 'timeouts';

export interface WebhookPlanItem {
  desired: DesiredWebhook;
  action: 'create' | 'update' | 'ok';
  /** The existing webhook's id (update, ok). */
  existingId: string | null;
  changes: WebhookField[];
  /** `header`: Jamf did not show the header, so it could not be compared. */
  unverifiedHeader: boolean;
}

export interface WebhookPlan {
  url: string;
  headerName: string;
  items: WebhookPlanItem[];
  changeCount: number;
}

/** Jamf's read time-out is short by default (2 s); the bot answers within a second, so 5 s is ample. */
const TIMEOUT_SECONDS = 5;

/**
 * The three webhooks: a new Mac, a finished inventory, and the Compliance group's membership
 * changing. The *Applicable* group is left out on purpose: its criterion (the Company Portal
 * app) only changes with an inventory, which `ComputerInventoryCompleted` already reports, while
 * Compliance also loses Macs by time alone ("Last Inventory Update less than N days ago") — a
 * change no inventory event reports.
 */
export function desiredWebhooks(
  t: Pick<WebhookTarget, 'complianceGroupId' | 'complianceGroupName'>,
): DesiredWebhook[] {
  return [
    {
      name: `${BOT_WEBHOOK_PREFIX}: ComputerAdded`,
      event: 'ComputerAdded',
      smartGroupId: null,
      purpose: 'A new Mac enrolled: add it to the fleet picture at once.',
    },
    {
      name: `${BOT_WEBHOOK_PREFIX}: ComputerInventoryCompleted`,
      event: 'ComputerInventoryCompleted',
      smartGroupId: null,
      purpose: 'A Mac sent inventory: re-check it (and its Applicable membership) at once.',
    },
    {
      name: `${BOT_WEBHOOK_PREFIX}: SmartGroupComputerMembershipChange`,
      event: 'SmartGroupComputerMembershipChange',
      smartGroupId: t.complianceGroupId,
      purpose: `Macs entered or left “${t.complianceGroupName}”: thank people, alert on sudden drops.`,
    },
  ];
}

/** The full settings written for one desired webhook (with the secret). */
export function webhookSettings(d: DesiredWebhook, t: WebhookTarget): JamfWebhookSettings {
  return {
    name: d.name,
    enabled: true,
    url: t.url,
    contentType: 'application/json',
    event: d.event,
    connectionTimeout: TIMEOUT_SECONDS,
    readTimeout: TIMEOUT_SECONDS,
    authenticationType: 'HEADER',
    headers: { [t.headerName]: t.secret },
    smartGroupId: d.smartGroupId,
  };
}

/** Which of the bot's settings an existing webhook lacks. */
function differences(
  w: JamfWebhook,
  want: JamfWebhookSettings,
): { changes: WebhookField[]; unverified: boolean } {
  const changes: WebhookField[] = [];
  if (!w.enabled) changes.push('enabled');
  if (w.url !== want.url) changes.push('url');
  if (w.contentType.toLowerCase() !== want.contentType) changes.push('contentType');
  if (w.event !== want.event) changes.push('event');
  if (w.authenticationType !== want.authenticationType) changes.push('authentication');
  const unverified = w.authenticationType === 'HEADER' && w.headers === null;
  if (w.authenticationType === 'HEADER' && w.headers !== null && !sameHeaders(w.headers, want.headers ?? {}))
    changes.push('header');
  if ((w.smartGroupId ?? null) !== want.smartGroupId) changes.push('smartGroup');
  if (w.connectionTimeout !== want.connectionTimeout || w.readTimeout !== want.readTimeout)
    changes.push('timeouts');
  return { changes, unverified };
}

/** Header names compare ignoring case (HTTP), values exactly. */
function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const norm = (h: Record<string, string>) =>
    Object.entries(h)
      .map(([k, v]) => `${k.toLowerCase()}\n${v}`)
      .sort()
      .join('\n\n');
  return norm(a) === norm(b);
}

/**
 * Create, update or leave each webhook the bot needs. An existing one is found by the bot's name
 * for it, else by the same event, URL and smart group (one an admin made by hand is adopted,
 * not duplicated). Other webhooks are never touched.
 */
export function planJamfWebhooks(existing: readonly JamfWebhook[], t: WebhookTarget): WebhookPlan {
  const taken = new Set<string>();
  const items = desiredWebhooks(t).map((d): WebhookPlanItem => {
    const want = webhookSettings(d, t);
    const found =
      existing.find((w) => !taken.has(w.id) && w.name.toLowerCase() === d.name.toLowerCase()) ??
      existing.find(
        (w) =>
          !taken.has(w.id) &&
          w.event === d.event &&
          w.url === t.url &&
          (w.smartGroupId ?? null) === d.smartGroupId,
      );
    if (!found)
      return { desired: d, action: 'create', existingId: null, changes: [], unverifiedHeader: false };
    taken.add(found.id);
    const { changes, unverified } = differences(found, want);
    return {
      desired: d,
      action: changes.length > 0 ? 'update' : 'ok',
      existingId: found.id,
      changes,
      unverifiedHeader: unverified,
    };
  });
  return {
    url: t.url,
    headerName: t.headerName,
    items,
    changeCount: items.filter((i) => i.action !== 'ok').length,
  };
}
