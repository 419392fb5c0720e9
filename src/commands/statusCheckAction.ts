import { z } from 'zod';
import { renderCard } from '../cards/renderCard';
import { statusCardModel } from '../cards/statusCardModel';
import type { ReminderCheckPress } from '../compliance/campaignEffectiveness';
import { adviceContext, callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { CardAction } from './commandTypes';

export interface StatusCheckDeps extends EndUserDeps {
  /**
   * Records a press for the campaign funnel (issue 19): which reminder it was on and what the
   * re-check saw. Only presses on a reminder sent to the caller count; the store decides.
   */
  recordReminderCheck?: (press: ReminderCheckPress) => Promise<void>;
}

/**
 * "Check again" (`status.check`): the caller's status card from live data, in place of the card
 * the button is on. The caller comes from the activity; the data carries at most the campaign
 * of the reminder the button is on (older reminders send it empty — their activity id is
 * matched instead), used only to count the press for that campaign.
 */
export function statusCheckAction(deps: StatusCheckDeps): CardAction {
  return {
    verb: 'status.check',
    audience: 'everyone',
    // Identity comes from the activity; extra keys are dropped.
    schema: z.object({
      campaignId: z.union([z.literal(''), z.string().regex(/^c-[0-9a-f]{8}$/)]).optional(),
    }),
    async run(ctx) {
      const now = ctx.now();
      const caller = await callerMacsFor(ctx.caller, ctx.conversation, deps, now);
      const data = ctx.data as { campaignId?: string };
      if (deps.recordReminderCheck && ctx.caller.aadObjectId) {
        await deps.recordReminderCheck({
          recipientId: ctx.caller.aadObjectId,
          campaignId: data.campaignId || null,
          activityId: ctx.cardActivityId ?? null,
          at: now,
          // Only what the re-check could tell: a Mac Entra ID did not answer for is left out.
          macs: caller.macs
            .filter((m) => m.diagnosis && m.diagnosis.verdict !== 'not_applicable')
            .map((m) => ({
              jamfId: m.record.jamf.id,
              userId: caller.user.id,
              compliant: m.diagnosis!.verdict === 'compliant',
            })),
        });
      }
      return {
        card: renderCard('statusCard', statusCardModel(caller, adviceContext(deps, now, ctx.caller))),
      };
    },
  };
}
