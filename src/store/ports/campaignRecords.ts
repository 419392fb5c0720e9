import type { Campaign, CampaignCounts, CampaignState, NewCampaign } from '../../compliance/campaignTypes';

/** Reminder campaigns themselves: created with their outbox, moved between states, counted. */
export interface CampaignRecords {
  /** Creates the campaign (running) and one pending outbox row per recipient, atomically. */
  createCampaign(c: NewCampaign): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** Newest first. */
  listCampaigns(opts: { limit: number }): Promise<Campaign[]>;
  /**
   * Moves a campaign from one of `from` to `to`; false when it was in another state (someone
   * else changed it first). Cancelling also skips every row not yet claimed (`cancelled`).
   */
  transitionCampaign(id: string, from: CampaignState[], to: CampaignState, at: string): Promise<boolean>;
  setProgressCard(id: string, card: { conversationId: string; activityId: string }): Promise<void>;
  /** Running → done once no row is pending, claimed or sending; true when it moved now. */
  completeCampaignIfDrained(id: string, at: string): Promise<boolean>;
  campaignCounts(id: string): Promise<CampaignCounts>;
}
