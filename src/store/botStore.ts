import type { CampaignStore } from './campaignStore';

/**
 * What the bot remembers between restarts: daily rollout snapshots, the connector alert state,
 * the conversations it can message proactively, the audit log and scheduled-job claims. Two
 * implementations: `SqliteBotStore` (one instance, the default) and `PgBotStore` (several
 * instances sharing PostgreSQL); `openBotStore` picks one from the configuration. Both must pass
 * `test/store/botStoreConformance.ts`.
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

export type OnboardingPlanStatus = 'planned' | 'running' | 'applied' | 'failed';

/**
 * A computed `onboard group` plan, kept so **Apply** applies exactly the plan the card showed
 * (the card carries only its id). `plan` is opaque to the store. Unlike the audit log, its
 * status changes: `planned` → `running` → `applied` | `failed` (and may be applied again).
 */
export interface StoredOnboardingPlan {
  id: string;
  createdAt: string;
  actor: AuditActor;
  /** The group it onboards, as typed. */
  target: string;
  plan: Record<string, unknown>;
  status: OnboardingPlanStatus;
  updatedAt: string;
}

/** A person's request for help, posted to the admin channel ("Contact IT"). */
export interface Escalation {
  id: number;
  /** The person's Entra object id (else their Teams id). */
  userKey: string;
  /** `YYYY-MM-DD` (UTC): at most one open escalation per person per day. */
  day: string;
  /** `open` until IT handles it; `failed` when it could not be posted (it then does not count). */
  status: 'open' | 'failed';
  createdAt: string;
  userName: string | null;
  userUpn: string | null;
  /** Where the escalation card was posted, once it was. */
  posted: { conversationId: string; activityId: string | null } | null;
}

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

  /**
   * Claims one due time of a scheduled job for this instance: resolves true for the first
   * claimer only (one row per job and due time), false for every later one, so each due time
   * fires once across all instances sharing the store. `dueAt` is the ISO instant the run was
   * due (not when it started), which every instance computes alike. At most once: a run that
   * crashes after its claim is not retried for that due time.
   */
  claimJobRun(job: string, dueAt: string, instanceId: string): Promise<boolean>;

  /** Resolves once the store can be used (schema migrated); rejects with why it cannot. */
  ready(): Promise<void>;

  /**
   * Stores a new plan (status `planned`). Plans more than a week older than it are dropped: they
   * can no longer be applied, and the audit log keeps what each one planned.
   */
  saveOnboardingPlan(plan: Omit<StoredOnboardingPlan, 'status' | 'updatedAt'>): Promise<void>;
  getOnboardingPlan(id: string): Promise<StoredOnboardingPlan | null>;
  /**
   * Marks a plan `running` for one Apply, atomically: false when another run holds it (a run
   * last updated before `staleBefore` is taken over, so a crash does not lock a plan forever).
   */
  claimOnboardingPlan(id: string, at: string, staleBefore: string): Promise<boolean>;
  finishOnboardingPlan(id: string, status: 'applied' | 'failed', at: string): Promise<void>;

  /**
   * Records that `userKey` was welcomed; false when they already were (so two install events
   * racing each other send one welcome).
   */
  claimWelcome(userKey: string, at: string): Promise<boolean>;
  /** Forgets a welcome: the send failed, or the person removed the app (a reinstall welcomes again). */
  forgetWelcome(userKey: string): Promise<void>;

  /**
   * Opens an escalation for `userKey` on `day`, atomically; returns the one already open that
   * day instead (and creates nothing) when there is one.
   */
  openEscalation(
    e: Pick<Escalation, 'userKey' | 'day' | 'createdAt' | 'userName' | 'userUpn'>,
  ): Promise<{ created: true; escalation: Escalation } | { created: false; existing: Escalation }>;
  /** Where the escalation card went. */
  markEscalationPosted(id: number, posted: NonNullable<Escalation['posted']>): Promise<void>;
  /** The card could not be posted: the escalation stops counting against the day. */
  markEscalationFailed(id: number): Promise<void>;

  close(): Promise<void>;
}
