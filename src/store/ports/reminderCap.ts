/** The frequency cap: who was reminded by which campaign, and when. */
export interface ReminderCap {
  /**
   * Records that `recipientId` is being reminded by `campaignId`, unless another campaign
   * reminded them at or after `since`. True = go ahead (also when this campaign already holds
   * the reservation).
   */
  reserveReminder(recipientId: string, campaignId: string, at: string, since: string): Promise<boolean>;
  /** Drops a reservation whose send did not happen (failed or skipped). */
  releaseReminder(recipientId: string, campaignId: string): Promise<void>;
}
