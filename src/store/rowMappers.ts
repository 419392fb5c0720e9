import type { AlertState } from '../compliance/alertStateTypes';
import { internRecord, internSourceBody } from '../compliance/internFleetSource';
import type { AuditEntry } from '../compliance/auditTypes';
import type {
  Campaign,
  CampaignCounts,
  CampaignSchedule,
  CampaignState,
  OutboxRow,
  OutboxState,
} from '../compliance/campaignTypes';
import type { Escalation } from '../compliance/escalationTypes';
import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
  FleetSourceItem,
  FleetSourceKind,
} from '../compliance/fleetSnapshotTypes';
import type { MacRecord } from '../compliance/types';
import type { OnboardingPlanStatus, StoredOnboardingPlan } from '../compliance/onboardingPlanRecordTypes';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { StoredConversation, StoredConversationScope } from '../compliance/storedConversationTypes';

/**
 * Rows as both databases return them, and their one mapping to the records. The tables have the
 * same columns in both (src/store/migrations.ts); only the drivers' value types differ, and the
 * three aliases below absorb that, so SQLite and PostgreSQL read every record through the same
 * function.
 */

/** A JSON column: SQLite keeps the text, PostgreSQL's driver hands back the parsed value. */
export type Json<T extends object> = string | T;
/** An instant: ISO text in SQLite, a `Date` from PostgreSQL's `timestamptz`. */
export type Instant = string | Date;
/** An identity column: a number in SQLite, PostgreSQL's `bigint` as a string. */
type Id = number | string;

export const json = <T extends object>(v: Json<T>): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
export const iso = (v: Instant): string => (typeof v === 'string' ? v : v.toISOString());
const isoOrNull = (v: Instant | null): string | null => (v === null ? null : iso(v));

export interface SnapshotRow {
  day: string;
  taken_at: Instant;
  total: number;
  applicable: number;
  by_verdict: Json<Record<string, number>>;
  percent_compliant: number;
  top_reasons: Json<RolloutSnapshot['topReasons']>;
}

export const toSnapshot = (r: SnapshotRow): RolloutSnapshot => ({
  day: r.day,
  takenAt: iso(r.taken_at),
  total: r.total,
  applicable: r.applicable,
  byVerdict: json(r.by_verdict),
  percentCompliant: r.percent_compliant,
  topReasons: json(r.top_reasons),
});

export interface AlertRow {
  key: string;
  /** SQLite has no boolean: 0 or 1. */
  healthy: boolean | number;
  problems: Json<string[]>;
  since: Instant;
  checked_at: Instant;
  alert_conversation_id: string | null;
  alert_activity_id: string | null;
  alerted_at: Instant | null;
}

export const toAlertState = (r: AlertRow): AlertState => ({
  key: r.key,
  healthy: r.healthy === true || r.healthy === 1,
  problems: json(r.problems),
  since: iso(r.since),
  checkedAt: iso(r.checked_at),
  alert:
    r.alert_conversation_id && r.alerted_at
      ? { conversationId: r.alert_conversation_id, activityId: r.alert_activity_id, at: iso(r.alerted_at) }
      : null,
});

export interface ConversationRow {
  conversation_id: string;
  scope: StoredConversationScope;
  tenant_id: string | null;
  team_id: string | null;
  aad_object_id: string | null;
  reference: Json<Record<string, unknown>>;
  locale: string | null;
  time_zone: string | null;
  first_seen: Instant;
  last_seen: Instant;
}

/** `locale, time_zone` → only the keys that are known. */
export const toConversationLocale = (
  r: Pick<ConversationRow, 'locale' | 'time_zone'>,
): { locale?: string; timeZone?: string } => ({
  ...(r.locale ? { locale: r.locale } : {}),
  ...(r.time_zone ? { timeZone: r.time_zone } : {}),
});

export const toConversation = (r: ConversationRow): StoredConversation => ({
  conversationId: r.conversation_id,
  scope: r.scope,
  tenantId: r.tenant_id,
  teamId: r.team_id,
  aadObjectId: r.aad_object_id,
  reference: json(r.reference),
  ...toConversationLocale(r),
  firstSeen: iso(r.first_seen),
  lastSeen: iso(r.last_seen),
});

/** `SELECT conversation_id, reference, locale, time_zone`: what a reminder needs to reach a person, in their language. */
export const toPersonalConversation = (
  r: Pick<ConversationRow, 'conversation_id' | 'reference' | 'locale' | 'time_zone'>,
): { conversationId: string; reference: Record<string, unknown>; locale?: string; timeZone?: string } => ({
  conversationId: r.conversation_id,
  reference: json(r.reference),
  ...toConversationLocale(r),
});

/** The actor columns that the audit log and onboarding plans share. */
interface ActorColumns {
  actor_teams_id: string;
  actor_aad_object_id: string | null;
  actor_name: string | null;
}

const toActor = (r: ActorColumns): AuditEntry['actor'] => ({
  teamsUserId: r.actor_teams_id,
  aadObjectId: r.actor_aad_object_id,
  name: r.actor_name,
});

export interface AuditRow extends ActorColumns {
  id: Id;
  at: Instant;
  action: string;
  target: string | null;
  outcome: string;
  details: Json<Record<string, unknown>>;
}

export const toAudit = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: iso(r.at),
  actor: toActor(r),
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  details: json(r.details),
});

export interface PlanRow extends ActorColumns {
  id: string;
  created_at: Instant;
  target: string;
  plan: Json<Record<string, unknown>>;
  status: OnboardingPlanStatus;
  updated_at: Instant;
}

export const toPlan = (r: PlanRow): StoredOnboardingPlan => ({
  id: r.id,
  createdAt: iso(r.created_at),
  actor: toActor(r),
  target: r.target,
  plan: json(r.plan),
  status: r.status,
  updatedAt: iso(r.updated_at),
});

export interface EscalationRow {
  id: Id;
  user_key: string;
  day: string;
  status: Escalation['status'];
  created_at: Instant;
  user_name: string | null;
  user_upn: string | null;
  conversation_id: string | null;
  activity_id: string | null;
}

export const toEscalation = (r: EscalationRow): Escalation => ({
  id: Number(r.id),
  userKey: r.user_key,
  day: r.day,
  status: r.status,
  createdAt: iso(r.created_at),
  userName: r.user_name,
  userUpn: r.user_upn,
  posted: r.conversation_id ? { conversationId: r.conversation_id, activityId: r.activity_id } : null,
});

export interface CampaignRow {
  id: string;
  created_at: Instant;
  created_by: Json<Campaign['createdBy']>;
  audience: Campaign['audience'];
  group_name: string | null;
  deadline: string | null;
  state: CampaignState;
  schedule_id: string | null;
  progress_conversation_id: string | null;
  progress_activity_id: string | null;
  updated_at: Instant;
  finished_at: Instant | null;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  createdAt: iso(r.created_at),
  createdBy: json(r.created_by),
  audience: r.audience,
  groupName: r.group_name,
  deadline: r.deadline,
  state: r.state,
  scheduleId: r.schedule_id,
  progressCard:
    r.progress_conversation_id && r.progress_activity_id
      ? { conversationId: r.progress_conversation_id, activityId: r.progress_activity_id }
      : null,
  updatedAt: iso(r.updated_at),
  finishedAt: isoOrNull(r.finished_at),
});

export interface OutboxDbRow {
  campaign_id: string;
  recipient_id: string;
  seq: number;
  recipient: Json<OutboxRow['recipient']>;
  state: OutboxState;
  reason: string | null;
  detail: string | null;
  attempts: number;
  throttles: number;
  not_before: Instant | null;
  lease_owner: string | null;
  lease_until: Instant | null;
  conversation_id: string | null;
  activity_id: string | null;
  resent_at: Instant | null;
  updated_at: Instant;
}

export const toOutbox = (r: OutboxDbRow): OutboxRow => ({
  campaignId: r.campaign_id,
  recipientId: r.recipient_id,
  seq: r.seq,
  recipient: json(r.recipient),
  state: r.state,
  reason: r.reason,
  detail: r.detail,
  attempts: r.attempts,
  throttles: r.throttles,
  notBefore: isoOrNull(r.not_before),
  leaseOwner: r.lease_owner,
  leaseUntil: isoOrNull(r.lease_until),
  conversationId: r.conversation_id,
  activityId: r.activity_id,
  resentAt: isoOrNull(r.resent_at),
  updatedAt: iso(r.updated_at),
});

export interface ScheduleRow {
  id: string;
  cron: string;
  time_zone: string;
  audience: CampaignSchedule['audience'];
  group_name: string | null;
  deadline_days: number | null;
  conversation_id: string;
  created_at: Instant;
  created_by: Json<CampaignSchedule['createdBy']>;
}

export const toSchedule = (r: ScheduleRow): CampaignSchedule => ({
  id: r.id,
  cron: r.cron,
  timeZone: r.time_zone,
  audience: r.audience,
  groupName: r.group_name,
  deadlineDays: r.deadline_days,
  conversationId: r.conversation_id,
  createdAt: iso(r.created_at),
  createdBy: json(r.created_by),
});

/**
 * `SELECT state, reason, resent_at IS NOT NULL AS resent, count(*) AS n … GROUP BY 1, 2, 3`
 * (PostgreSQL counts as text and flags as booleans, SQLite as 0/1).
 */
export interface OutboxCountRow {
  state: OutboxState;
  reason: string | null;
  resent: boolean | number;
  n: number | string;
}

export function toCampaignCounts(rows: readonly OutboxCountRow[]): CampaignCounts {
  const counts: CampaignCounts = {
    total: 0,
    pending: 0,
    inFlight: 0,
    sent: 0,
    inDoubt: 0,
    inDoubtReasons: {},
    inDoubtResendable: 0,
    failed: {},
    skipped: {},
  };
  for (const r of rows) {
    const n = Number(r.n);
    counts.total += n;
    if (r.state === 'pending') counts.pending += n;
    else if (r.state === 'claimed' || r.state === 'sending') counts.inFlight += n;
    else if (r.state === 'sent') counts.sent += n;
    else if (r.state === 'in_doubt') {
      counts.inDoubt += n;
      const key = r.reason ?? 'unknown';
      counts.inDoubtReasons[key] = (counts.inDoubtReasons[key] ?? 0) + n;
      if (!r.resent) counts.inDoubtResendable += n;
    } else {
      const bucket = r.state === 'failed' ? counts.failed : counts.skipped;
      const key = r.reason ?? 'unknown';
      bucket[key] = (bucket[key] ?? 0) + n;
    }
  }
  return counts;
}

/** `fleet_sources` / `fleet_staging`: the body's shape follows `kind` (FleetSourceBodies). */
export interface FleetSourceRow {
  kind: FleetSourceKind;
  id: string;
  body: Json<object>;
}

export const toFleetSource = (r: FleetSourceRow): FleetSourceItem =>
  ({ kind: r.kind, id: r.id, body: internSourceBody(r.kind, json(r.body)) }) as FleetSourceItem;

/** `SELECT jamf_id, hash, record FROM fleet_macs` */
export interface FleetMacDbRow {
  jamf_id: string;
  hash: string;
  record: Json<MacRecord>;
}

export const toFleetMac = (r: FleetMacDbRow): FleetMacRow => ({
  jamfId: r.jamf_id,
  hash: r.hash,
  record: internRecord(json(r.record)),
});

/** `fleet_meta` and `fleet_build`: one JSON body each. */
export interface FleetBodyRow<T extends object> {
  body: Json<T>;
}

export const toFleetMeta = (r: FleetBodyRow<FleetSnapshotMeta>): FleetSnapshotMeta => json(r.body);
export const toFleetBuild = (r: FleetBodyRow<FleetBuildState>): FleetBuildState => json(r.body);
