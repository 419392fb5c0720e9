import type {
  ThankYouClaim,
  ThankYouOutcome,
  ThankYouRecord,
  ThankYouWatch,
} from '../../compliance/liveUpdateTypes';

/** Who claims due re-checks, the time now, until when the claim holds, and how many. */
export interface ClaimWatchesOptions {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
}

/**
 * The thank-you's durable state: Macs waiting for Entra to agree (re-checked with backoff, any
 * instance may take a due one under a lease), and the once-per-Mac record, whose insert is the
 * claim — the unique (Jamf id, Entra device id) key makes a second claim fail on every instance.
 */
export interface ThankYouStore {
  /** Starts watching a Mac; false when it is already watched (the first watch stands). */
  watchThankYou(w: ThankYouWatch): Promise<boolean>;
  getThankYouWatch(jamfId: string): Promise<ThankYouWatch | null>;
  /** Due watches (`nextCheckAt <= now`, no live lease), leased to `owner`; two callers never get the same one. */
  claimDueThankYouWatches(opts: ClaimWatchesOptions): Promise<ThankYouWatch[]>;
  /** The next check of a watch, its lease released. */
  rescheduleThankYouWatch(jamfId: string, nextCheckAt: string, attempts: number): Promise<void>;
  endThankYouWatch(jamfId: string): Promise<void>;
  /**
   * Records the confirmation and claims the card, once per (Jamf id, Entra device id): true when
   * this call inserted it. In the same transaction, the campaigns whose reminder was sent to the
   * person since `remindedSince` are linked to it (returned in the record's `campaignIds`).
   */
  claimThankYou(r: ThankYouClaim, remindedSince: string): Promise<ThankYouRecord | null>;
  /** The card's outcome. */
  finishThankYou(jamfId: string, entraDeviceId: string, outcome: ThankYouOutcome): Promise<void>;
  getThankYou(jamfId: string, entraDeviceId: string): Promise<ThankYouRecord | null>;
  /** How many Macs became compliant after each campaign's reminder (0 for none). */
  campaignConversions(campaignIds: string[]): Promise<Record<string, number>>;
}
