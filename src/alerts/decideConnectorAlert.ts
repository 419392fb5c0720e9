import type { AlertState } from '../compliance/alertStateTypes';

/** What one connector check should do, given the stored state and what it sees now. */
export type ConnectorAlertDecision =
  /** Nothing to post; store the (refreshed) state. */
  | { kind: 'none' }
  /** Post one alert card: the connector broke, or broke while nobody could be told. */
  | { kind: 'alert' }
  /** Still broken, for other reasons: update the posted alert card in place (no new message). */
  | { kind: 'update-alert' }
  /** Healthy again after an alert that was posted: post one recovery card. */
  | { kind: 'recovered' };

const sameProblems = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * The alert rule. Only changes of state talk: healthy (or never checked) → broken posts ONE
 * alert; broken → still broken posts nothing — when the *reasons* change (e.g. a stale
 * heartbeat becomes *unresponsive*) the alert already in the channel is updated in place, so the
 * channel stays truthful without a second ping; broken → healthy posts ONE recovery card, but
 * only if the alert was actually posted (a recovery for an alert nobody saw would confuse).
 * An alert that could not be posted (no admin channel yet, Teams down) is retried next check.
 */
export function decideConnectorAlert(
  stored: AlertState | null,
  problemCodes: readonly string[],
): ConnectorAlertDecision {
  const healthy = problemCodes.length === 0;
  if (healthy) return stored && !stored.healthy && stored.alert ? { kind: 'recovered' } : { kind: 'none' };
  if (!stored || stored.healthy || !stored.alert) return { kind: 'alert' };
  return sameProblems(stored.problems, problemCodes) ? { kind: 'none' } : { kind: 'update-alert' };
}
