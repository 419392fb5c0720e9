import type { CampaignSchedule } from '../../compliance/campaignTypes';

/** Recurring campaigns (`remind schedule`). */
export interface ScheduleStore {
  saveSchedule(s: CampaignSchedule): Promise<void>;
  listSchedules(): Promise<CampaignSchedule[]>;
  deleteSchedule(id: string): Promise<boolean>;
}
