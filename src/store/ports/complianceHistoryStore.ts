import type {
  CampaignEffectivenessInput,
  ComplianceObservation,
} from '../../compliance/campaignEffectiveness';

export type { ComplianceObservation } from '../../compliance/campaignEffectiveness';

/**
 * Campaign effectiveness (issue 19): when each Mac was not compliant, and who pressed their
 * reminder's Check again. Spells change only when a Mac's state changes, so the table grows with
 * changes, not with observations; closed spells are deleted `HISTORY_RETENTION_DAYS` after they
 * ended.
 */
export interface ComplianceHistoryStore {
  /**
   * Records observations made at `at`: a Mac not compliant opens a spell (if none is open); a
   * compliant one closes its open spell (`ended: 'compliant'`). `wholeFleet`: the observations
   * are every applicable Mac (the daily snapshot): open spells of Macs not among them close as
   * `gone`. Old closed spells are pruned. `backfill` is for the demo's seeding only (its past
   * campaign, written while the bot may already observe the fleet), with calls made in time
   * order: a Mac not compliant at `at` whose open spell started later has been not compliant
   * since `at`. It is not a general way to record old observations out of order.
   */
  recordComplianceObservations(
    observations: readonly ComplianceObservation[],
    at: string,
    opts?: { wholeFleet?: boolean; backfill?: boolean },
  ): Promise<void>;
  /**
   * A press of Check again by `recipientId` on a reminder: the campaign whose reminder was sent to
   * them, found by `campaignId` or by the card's activity id. Recorded once per campaign and
   * person (the first press counts). Resolves to the campaign's id, or null when the press was
   * not on a reminder of theirs.
   */
  recordReminderCheck(
    recipientId: string,
    ref: { campaignId?: string | null; activityId?: string | null },
    at: string,
  ): Promise<string | null>;
  /** What `campaignEffectiveness` needs for one campaign; null when there is no such campaign. */
  campaignEffectivenessInput(campaignId: string): Promise<CampaignEffectivenessInput | null>;
}
