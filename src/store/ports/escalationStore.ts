import type { Escalation } from '../../compliance/escalationTypes';

/** People's requests for help ("Contact IT"): at most one open per person per day. */
export interface EscalationStore {
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
}
