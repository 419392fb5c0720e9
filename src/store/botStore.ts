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

/** Who did something, as the authenticated activity identified them. */
export interface AuditActor {
  teamsUserId: string;
  aadObjectId: string | null;
  name: string | null;
}

/**
 * One line of the audit log: append-only (nothing in the bot edits or deletes an entry).
 * `outcome` says what happened: `planned`, `applied`, `step_ok`, `step_failed`, `refused`, …
 */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  id: number;
  at: string;
  actor: AuditActor;
  /** The command or card action, e.g. `onboard group`, `onboard.apply`. */
  action: string;
  /** What it acted on (a group name, a campaign id), when there is one. */
  target: string | null;
  outcome: string;
  /** Anything else worth keeping (the plan, a step's result, the refusal's reason). No secrets. */
  details: Record<string, unknown>;
}

import type { CampaignStore } from './campaignStore';

/** Everything the bot stores; reminder campaigns are in `CampaignStore` (src/store/campaignStore.ts). */
export interface BotStore extends CampaignStore {
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

  /** Appends one audit entry; resolves to its id. */
  appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<number>;
  /** The newest entries first; `beforeId` pages further back. */
  listAudit(opts: { limit: number; beforeId?: number; action?: string }): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
