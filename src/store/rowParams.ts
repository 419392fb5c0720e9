import type { AlertState } from '../compliance/alertStateTypes';
import type { AuditEntry } from '../compliance/auditTypes';
import type { CampaignSchedule, NewCampaign } from '../compliance/campaignTypes';
import type { StoredOnboardingPlan } from '../compliance/onboardingPlanRecordTypes';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { StoredConversation } from '../compliance/storedConversationTypes';

/**
 * What each insert binds, in its statement's column order, shared by both stores (SQLite's `?`
 * and PostgreSQL's `$n` take the same list). JSON values are always `JSON.stringify` text: `pg`
 * would turn a JS array into a PostgreSQL array, and SQLite stores text anyway.
 */

/** `day, taken_at, total, applicable, by_verdict, percent_compliant, top_reasons` */
export const snapshotParams = (s: RolloutSnapshot): unknown[] => [
  s.day,
  s.takenAt,
  s.total,
  s.applicable,
  JSON.stringify(s.byVerdict),
  s.percentCompliant,
  JSON.stringify(s.topReasons),
];

/**
 * `key, healthy, problems, since, checked_at, alert_conversation_id, alert_activity_id,
 * alerted_at`; `healthy` as the dialect stores a boolean.
 */
export const alertStateParams = (s: AlertState, healthy: boolean | number): unknown[] => [
  s.key,
  healthy,
  JSON.stringify(s.problems),
  s.since,
  s.checkedAt,
  s.alert?.conversationId ?? null,
  s.alert?.activityId ?? null,
  s.alert?.at ?? null,
];

/** `conversation_id, scope, tenant_id, team_id, aad_object_id, reference, seen at, locale, time_zone` */
export const conversationParams = (
  c: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
): unknown[] => [
  c.conversationId,
  c.scope,
  c.tenantId,
  c.teamId,
  c.aadObjectId,
  JSON.stringify(c.reference),
  c.seenAt,
  c.locale ?? null,
  c.timeZone ?? null,
];

/** `at, actor_teams_id, actor_aad_object_id, actor_name, action, target, outcome, details` */
export const auditParams = (e: Omit<AuditEntry, 'id'>): unknown[] => [
  e.at,
  e.actor.teamsUserId,
  e.actor.aadObjectId,
  e.actor.name,
  e.action,
  e.target,
  e.outcome,
  JSON.stringify(e.details),
];

/** `id, created_at, actor_teams_id, actor_aad_object_id, actor_name, target, plan` */
export const planParams = (p: Omit<StoredOnboardingPlan, 'status' | 'updatedAt'>): unknown[] => [
  p.id,
  p.createdAt,
  p.actor.teamsUserId,
  p.actor.aadObjectId,
  p.actor.name,
  p.target,
  JSON.stringify(p.plan),
];

/** `id, created_at, created_by, audience, group_name, deadline, schedule_id` */
export const campaignParams = (c: NewCampaign): unknown[] => [
  c.id,
  c.createdAt,
  JSON.stringify(c.createdBy),
  c.audience,
  c.groupName,
  c.deadline,
  c.scheduleId,
];

/**
 * `id, cron, time_zone, audience, group_name, deadline_days, conversation_id, created_at,
 * created_by`
 */
export const scheduleParams = (s: CampaignSchedule): unknown[] => [
  s.id,
  s.cron,
  s.timeZone,
  s.audience,
  s.groupName,
  s.deadlineDays,
  s.conversationId,
  s.createdAt,
  JSON.stringify(s.createdBy),
];
