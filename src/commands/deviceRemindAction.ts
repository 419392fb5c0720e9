import type { RemindOneOutcome } from '../broadcasts/broadcastService';
import { AUDIENCE_VERDICTS } from '../broadcasts/selectAudience';
import { OUTCOME_REASON_LABELS } from '../cards/campaignCardModels';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type { ComplianceCriteria } from '../compliance/types';
import type { LookupQuery, MacLookup } from '../lookup/lookupMacs';
import type { CampaignActor, CampaignRecipient } from '../compliance/campaignTypes';
import { actorOf } from './actorOf';
import type { CardAction } from './commandTypes';
import { computerData, computerIdOf } from './computerIdOf';

/** How long "Remind user" waits for the reminder's outcome before answering "queued". */
const REMIND_WAIT_MS = 4_000;

export interface DeviceRemindDeps {
  lookupMacs: (query: LookupQuery) => Promise<MacLookup>;
  criteria: ComplianceCriteria;
  /** One person's reminder, and its outcome when known within `timeoutMs` (BroadcastService). */
  remindOneAndWait: (
    recipient: CampaignRecipient,
    actor: CampaignActor,
    timeoutMs: number,
  ) => Promise<RemindOneOutcome>;
}

/**
 * "Remind user" on a device card: that one person gets the reminder now, through the same
 * outbox, re-check and frequency cap as a campaign. Answers with the outcome when it is known
 * within a few seconds, else that it is on its way.
 */
export function deviceRemindAction(deps: DeviceRemindDeps): CardAction {
  return {
    verb: 'device.remind',
    audience: 'admin',
    schema: computerData,
    async run(ctx) {
      const computerId = computerIdOf(ctx.data);
      const lookup = await deps.lookupMacs({ kind: 'jamf-id', value: computerId });
      const failure = lookup.failures[0];
      if (failure) throw failure.error;
      const record = lookup.records[0];
      if (!record) return { message: 'That Mac is no longer in Jamf Pro.' };
      if (!record.user)
        return { message: `${record.jamf.name} has no user in Entra ID, so there is nobody to remind.` };
      const d = diagnoseMac(record, deps.criteria, ctx.now());
      if (!AUDIENCE_VERDICTS.all.includes(d.verdict)) {
        return {
          message: `${record.jamf.name} needs nothing from its user right now (${d.verdict.replace(/_/g, ' ')}).`,
        };
      }
      const who = record.user.displayName ?? record.user.userPrincipalName;
      const outcome = await deps.remindOneAndWait(
        {
          recipientId: record.user.id,
          name: record.user.displayName,
          upn: record.user.userPrincipalName,
          macs: [
            {
              computerId,
              name: record.jamf.name,
              serialNumber: record.jamf.serialNumber,
              verdict: d.verdict,
            },
          ],
        },
        actorOf(ctx.caller),
        REMIND_WAIT_MS,
      );
      switch (outcome.state) {
        case 'sent':
          return { message: `Reminder sent to ${who}.` };
        case 'failed':
        case 'skipped': {
          const why = OUTCOME_REASON_LABELS[outcome.reason ?? ''] ?? outcome.reason ?? 'unknown';
          return { message: `${who} was not reminded: ${why.toLowerCase()}.` };
        }
        case 'queued':
          return { message: `The reminder to ${who} is on its way (campaign ${outcome.campaignId}).` };
        case 'in_doubt': {
          const why = OUTCOME_REASON_LABELS[outcome.reason ?? ''] ?? outcome.reason ?? 'unknown';
          return {
            message: `The reminder to ${who} may or may not have arrived (${why}), so it is not sent again: **campaign ${outcome.campaignId}** can resend it.`,
          };
        }
      }
    },
  };
}
