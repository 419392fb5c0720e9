/**
 * The records of issue 22's live features, shared by the store, the use cases and the cards:
 * a Mac waiting for Entra to agree it is compliant (thank-you), the once-per-Mac thank-you
 * itself (which is also the "became compliant" event campaigns count), and the drop alert's
 * episode. Plain data.
 */

/** A Mac that entered Jamf's Compliance group; Entra is re-checked until it agrees or `giveUpAt`. */
export interface ThankYouWatch {
  jamfId: string;
  /** The person to thank: Entra object id (the 1:1's key), name and UPN as the fleet knew them. */
  recipientId: string;
  recipientName: string | null;
  recipientUpn: string | null;
  macName: string;
  /** The person's language for the card when known (BCP 47, e.g. `de-DE`); null = the bot's default. */
  locale: string | null;
  /** When the Mac was seen entering the Compliance group. */
  enteredAt: string;
  giveUpAt: string;
  nextCheckAt: string;
  /** Re-checks done so far (the backoff's step). */
  attempts: number;
}

/** What became of a thank-you after its claim: `off` = recorded while THANK_YOU_CARDS was false. */
export type ThankYouState = 'claimed' | 'sent' | 'failed' | 'off';

/**
 * One Mac confirmed compliant by Entra after entering the Compliance group: claimed once per
 * (Jamf id, Entra device id), before the card is sent. `campaignIds` are the campaigns that
 * reminded the person in the days before — those count it as "became compliant after a reminder".
 */
export interface ThankYouRecord {
  jamfId: string;
  entraDeviceId: string;
  recipientId: string;
  macName: string;
  confirmedAt: string;
  state: ThankYouState;
  campaignIds: string[];
  detail: string | null;
  conversationId: string | null;
  activityId: string | null;
}

/** What a claim writes: the record before the campaigns are linked and the card's outcome is known. */
export type ThankYouClaim = Omit<ThankYouRecord, 'campaignIds' | 'detail' | 'conversationId' | 'activityId'>;

/** How the card went. */
export type ThankYouOutcome =
  { state: 'sent'; conversationId: string; activityId: string | null } | { state: 'failed'; detail: string };

/** A Mac seen leaving the Compliance group (from the snapshot's changes or Jamf's webhook). */
export interface ComplianceDrop {
  jamfId: string;
  /** null when only the webhook told (it names ids); a later change fills it in. */
  name: string | null;
  at: string;
}

/**
 * The drop alert's episode: one card in the admin channel, updated in place while Macs keep
 * leaving, closed once `dropWindowMinutes` pass without a drop. One row.
 */
export interface DropEpisode {
  id: string;
  /** The first drop the episode counts (the oldest one inside the window when it opened). */
  since: string;
  openedAt: string;
  lastDropAt: string;
  card: { conversationId: string; activityId: string | null } | null;
  /** What the card shows: the count, negated once the card says the episode ended; and when it was written. */
  cardCount: number;
  cardUpdatedAt: string | null;
}

/** The drops inside a window: how many Macs, the first names, the latest drop. */
export interface DropWindow {
  count: number;
  /** The first Macs by time of drop ("Jamf computer <id>" where no name is known yet). */
  names: string[];
  firstAt: string | null;
  lastAt: string | null;
}

/** Jamf's `SmartGroupComputerMembershipChange` webhook, as the webhook worker hands it over. */
export interface SmartGroupMembershipChange {
  groupId: string;
  groupName: string;
  /** Jamf computer ids. */
  added: string[];
  removed: string[];
  at: Date;
}
