/** The last known health of something the bot watches, and whether the channel was told. */
export interface AlertState {
  /** What is watched, e.g. `connector`. */
  key: string;
  healthy: boolean;
  /** Problem codes behind an unhealthy state, sorted; [] when healthy. */
  problems: string[];
  /** When the current state began (first check that saw it). */
  since: string;
  checkedAt: string;
  /** The alert card posted for the current unhealthy state; null = nobody was told yet. */
  alert: { conversationId: string; activityId: string | null; at: string } | null;
}
