import type { ReminderCardMac } from '../compliance/reminderCardMac';
import type { Campaign, CampaignRecipient, SkipReason } from '../compliance/campaignTypes';

export type { ReminderCardMac };

/** The re-check just before a send: still due (with the card's facts), or skip with a reason. */
export type ReminderCheck =
  { due: true; macs: ReminderCardMac[] } | { due: false; reason: SkipReason; detail?: string };

/** Re-checks one recipient against live data; throws (an `UpstreamError`) when it cannot tell. */
export type RecheckRecipient = (recipient: CampaignRecipient, campaign: Campaign) => Promise<ReminderCheck>;
