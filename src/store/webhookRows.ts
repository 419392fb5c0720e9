import type {
  QueuedWebhook,
  WebhookDelivery,
  WebhookGroupChange,
  WebhookQueueCounts,
} from './ports/webhookQueue';
import { iso, json, type Instant, type Json } from './rowMappers';

/** A `webhook_events` row as either driver returns it. */
export interface WebhookRow {
  delivery_key: string;
  webhook_id: string;
  event: string;
  event_timestamp: Instant;
  computer_ids: Json<string[]>;
  group_change: Json<WebhookGroupChange> | null;
  state: keyof WebhookQueueCounts;
  received_at: Instant;
  attempts: number;
}

export const toQueuedWebhook = (r: WebhookRow): QueuedWebhook & { state: keyof WebhookQueueCounts } => ({
  deliveryKey: r.delivery_key,
  webhookId: r.webhook_id,
  event: r.event,
  eventTimestamp: iso(r.event_timestamp),
  computerIds: json(r.computer_ids),
  group: r.group_change === null ? null : json(r.group_change),
  receivedAt: iso(r.received_at),
  attempts: Number(r.attempts),
  state: r.state,
});

/** delivery_key, webhook_id, event, event_timestamp, computer_ids, group_change, received_at (= not_before). */
export const webhookParams = (d: WebhookDelivery, receivedAt: string): unknown[] => [
  d.deliveryKey,
  d.webhookId,
  d.event,
  d.eventTimestamp,
  JSON.stringify(d.computerIds),
  d.group === null ? null : JSON.stringify(d.group),
  receivedAt,
];

/** Counts by state from `SELECT state, COUNT(*) AS n … GROUP BY state`. */
export const toWebhookCounts = (rows: { state: string; n: number | string }[]): WebhookQueueCounts => {
  const counts: WebhookQueueCounts = { queued: 0, done: 0, failed: 0 };
  for (const r of rows) if (r.state in counts) counts[r.state as keyof WebhookQueueCounts] = Number(r.n);
  return counts;
};
