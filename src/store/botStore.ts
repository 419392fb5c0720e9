/**
 * What the bot remembers between restarts: daily rollout snapshots, the connector alert state
 * and the conversations it can message proactively. Async throughout so a PostgreSQL
 * implementation can follow the SQLite one (`SqliteBotStore`) without touching its callers.
 */

/** Fleet counts on one day (UTC), as the rollout card and its trend show them. */
export interface RolloutSnapshot {
  /** `YYYY-MM-DD` (UTC); one snapshot per day, a later one replaces it. */
  day: string;
  takenAt: string;
  total: number;
  applicable: number;
  /** Macs per verdict (`compliance/diagnosisTypes` VERDICTS). */
  byVerdict: Record<string, number>;
  percentCompliant: number;
  topReasons: { code: string; label: string; count: number }[];
}

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

export type StoredConversationScope = 'personal' | 'channel' | 'groupChat';

/** A conversation the bot has seen, with the Bot Framework reference needed to post into it. */
export interface StoredConversation {
  /** For a channel: the channel's conversation id (without `;messageid=…`). */
  conversationId: string;
  scope: StoredConversationScope;
  tenantId: string | null;
  teamId: string | null;
  /** Entra object id of the user, for personal conversations. */
  aadObjectId: string | null;
  /** botbuilder's `ConversationReference`, opaque to the store. */
  reference: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
}

export interface BotStore {
  /** Inserts or replaces the snapshot for `snapshot.day`. */
  saveSnapshot(snapshot: RolloutSnapshot): Promise<void>;
  getSnapshot(day: string): Promise<RolloutSnapshot | null>;
  /** The latest `limit` snapshots up to and including `toDay`, oldest first. */
  listSnapshots(opts: { toDay: string; limit: number }): Promise<RolloutSnapshot[]>;

  getAlertState(key: string): Promise<AlertState | null>;
  saveAlertState(state: AlertState): Promise<void>;

  /** Inserts or refreshes a conversation (keeps `firstSeen`, updates the rest). */
  saveConversation(
    conversation: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
  ): Promise<void>;
  getConversation(conversationId: string): Promise<StoredConversation | null>;
  /** The team channel the bot saw first: the admin channel when none is configured. */
  firstChannel(): Promise<StoredConversation | null>;

  close(): Promise<void>;
}
