/**
 * Counters a metrics exporter can read (a Prometheus `/metrics` wires these to counters): one
 * call per reminder that reached a final state, per 429, per retry. All optional to implement.
 */
export interface BroadcastMetrics {
  /** A reminder ended: `sent`, `failed`, `skipped` or `in_doubt`, with its reason (null for sent). */
  reminderOutcome(outcome: 'sent' | 'failed' | 'skipped' | 'in_doubt', reason: string | null): void;
  /** The Bot Connector answered 429. */
  throttled(): void;
  /** A transient failure (412, 5xx, network) will be retried. */
  retried(detail: string): void;
}

export const NO_METRICS: BroadcastMetrics = {
  reminderOutcome: () => undefined,
  throttled: () => undefined,
  retried: () => undefined,
};
