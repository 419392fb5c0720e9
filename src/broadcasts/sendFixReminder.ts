import { OUTCOME_REASON_LABELS } from '../cards/campaignCardModels';
import type { AuditActor } from '../compliance/auditTypes';
import type { CampaignRecipient } from '../compliance/campaignTypes';
import type { RemediationResult } from '../compliance/remediationTypes';
import type { BroadcastService } from './broadcastService';

/** What to do when the bot has no 1:1 with the person and cannot start one yet. */
const NO_CONVERSATION_NEXT =
  'The bot starts a 1:1 chat through the Teams service it has seen in a channel, and has seen none yet: mention it once in the team’s channel (or set BOT_SERVICE_URL), then try again.';

/** How long *Send the user the fix* waits for the reminder's outcome before saying it is on its way. */
const SEND_FIX_WAIT_MS = 4_000;

/**
 * *Send the user the fix* (issue 19): the personal reminder for one Mac, with its Self Service
 * link, through the same outbox, re-check and frequency cap as "Remind user" and campaigns.
 */
export function sendFixReminder(
  broadcasts: Pick<BroadcastService, 'remindOneAndWait'>,
): (recipient: CampaignRecipient, actor: AuditActor) => Promise<RemediationResult> {
  return async (recipient, actor) => {
    const who = recipient.name ?? recipient.upn ?? 'the user';
    const outcome = await broadcasts.remindOneAndWait(recipient, actor, SEND_FIX_WAIT_MS);
    switch (outcome.state) {
      case 'sent':
        return {
          outcome: 'done',
          message: `Sent ${who} the fix for ${recipient.macs[0]?.name ?? 'their Mac'} in their 1:1 chat, with the Self Service link to the registration policy.`,
        };
      case 'queued':
        return {
          outcome: 'done',
          message: `The fix is on its way to ${who} (campaign ${outcome.campaignId}).`,
        };
      case 'failed':
      case 'skipped': {
        const why = OUTCOME_REASON_LABELS[outcome.reason ?? ''] ?? outcome.reason ?? 'unknown';
        const next = outcome.reason === 'no_conversation' ? ` ${NO_CONVERSATION_NEXT}` : '';
        return { outcome: 'failed', message: `${who} was not sent the fix: ${why.toLowerCase()}.${next}` };
      }
      case 'in_doubt': {
        // Teams may have delivered it: done as far as anyone can tell, and not sent again.
        const why = OUTCOME_REASON_LABELS[outcome.reason ?? ''] ?? outcome.reason ?? 'unknown';
        return {
          outcome: 'done',
          message: `The fix to ${who} may or may not have arrived (${why}), so it is not sent again: **campaign ${outcome.campaignId}** can resend it.`,
        };
      }
    }
  };
}
