import type { CampaignRecords } from './ports/campaignRecords';
import type { OutboxQueue } from './ports/outboxQueue';
import type { PersonalConversations } from './ports/personalConversations';
import type { ReminderCap } from './ports/reminderCap';
import type { ScheduleStore } from './ports/scheduleStore';

export type {
  Campaign,
  CampaignActor,
  CampaignAudience,
  CampaignCounts,
  CampaignRecipient,
  CampaignSchedule,
  CampaignState,
  FailReason,
  NewCampaign,
  OutboxOutcome,
  OutboxRow,
  OutboxState,
  RefusedReason,
  ReminderMac,
  SkipReason,
  UnreachableReason,
} from '../compliance/campaignTypes';
export { FINAL_OUTBOX_STATES } from '../compliance/campaignTypes';

/**
 * What reminder campaigns keep in the store: the campaign, one outbox row per campaign ×
 * recipient, the reminder history behind the frequency cap, cron schedules, and the person's
 * 1:1 conversation. Database-neutral: every state change is one conditional update
 * (`UPDATE … WHERE state = … RETURNING`), so a PostgreSQL implementation can claim with
 * `FOR UPDATE SKIP LOCKED` and several instances never take the same row. A consumer that needs
 * only part of it depends on that port (src/store/ports/).
 */
export interface CampaignStore
  extends CampaignRecords, OutboxQueue, ReminderCap, PersonalConversations, ScheduleStore {}
