import { z } from 'zod';
import type { BroadcastService } from '../broadcasts/broadcastService';
import { UserInputError } from '../errors';
import { actorOf } from './actorOf';
import type { CardAction, CardActionContext, CardActionResult } from './commandTypes';
import { storedConversationId } from './storedConversationId';

export interface CampaignActionDeps {
  /** Starts, pauses, resumes, cancels and resends (each audited), and the progress card. */
  campaigns: Pick<
    BroadcastService,
    | 'sendConfirmed'
    | 'transition'
    | 'resendFailed'
    | 'resendInDoubtCard'
    | 'resendInDoubt'
    | 'progressCard'
    | 'setProgressCard'
  >;
}

const campaignData = z.object({ campaignId: z.string().regex(/^c-[0-9a-f]{8}$/) });
const campaignIdOf = (data: Record<string, unknown>): string => {
  const parsed = campaignData.safeParse(data);
  if (!parsed.success)
    throw new UserInputError('That button did not say which campaign.', 'Type **campaigns**.');
  return parsed.data.campaignId;
};

const resendInDoubtData = z.object({
  campaignId: z.string().regex(/^c-[0-9a-f]{8}$/),
  asOf: z.iso.datetime(),
});

const sendData = z.object({
  campaignId: z
    .string()
    .regex(/^c-[0-9a-f]{8}$/)
    .optional(),
  audience: z.enum(['not-registered', 'non-compliant', 'all']),
  group: z.string().max(256).default(''),
  deadline: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).default(''),
});

/**
 * The buttons of the confirmation and progress cards: Send (`campaign.send`: the card becomes
 * the campaign's progress card), Refresh, Pause, Resume, Cancel and Resend to failed. Each
 * answers with the progress card in place, remembered as the card to keep updating. Resend to
 * in doubt (`campaign.resendInDoubt`) answers with its confirm step first — these people may
 * already have the reminder — and only its confirm button (`campaign.resendInDoubt.confirm`,
 * admins re-checked on the press) puts them back, once.
 */
export function campaignActions(deps: CampaignActionDeps): CardAction[] {
  const { campaigns } = deps;

  async function progressInPlace(ctx: CardActionContext, id: string): Promise<CardActionResult> {
    if (ctx.cardActivityId) {
      await campaigns.setProgressCard(id, {
        conversationId: storedConversationId(ctx.conversation),
        activityId: ctx.cardActivityId,
      });
    }
    return { card: await campaigns.progressCard(id) };
  }

  const transition = (verb: string, to: 'paused' | 'running' | 'cancelled'): CardAction => ({
    verb,
    audience: 'admin',
    schema: campaignData,
    async run(ctx) {
      const id = campaignIdOf(ctx.data);
      await campaigns.transition(id, to, actorOf(ctx.caller));
      return progressInPlace(ctx, id);
    },
  });

  return [
    {
      verb: 'campaign.send',
      audience: 'admin',
      schema: sendData,
      async run(ctx) {
        const parsed = sendData.safeParse(ctx.data);
        if (!parsed.success)
          throw new UserInputError('That Send button is not valid any more.', 'Type **remind send** again.');
        const { campaignId, audience, group, deadline } = parsed.data;
        const campaign = await campaigns.sendConfirmed(
          { campaignId, audience, groupName: group || null, deadline: deadline || null },
          actorOf(ctx.caller),
        );
        return progressInPlace(ctx, campaign.id);
      },
    },
    {
      verb: 'campaign.refresh',
      audience: 'admin',
      schema: campaignData,
      run: (ctx) => progressInPlace(ctx, campaignIdOf(ctx.data)),
    },
    transition('campaign.pause', 'paused'),
    transition('campaign.resume', 'running'),
    transition('campaign.cancel', 'cancelled'),
    {
      verb: 'campaign.resendInDoubt',
      audience: 'admin',
      schema: campaignData,
      run: async (ctx) => ({ card: await campaigns.resendInDoubtCard(campaignIdOf(ctx.data)) }),
    },
    {
      verb: 'campaign.resendInDoubt.confirm',
      audience: 'admin',
      schema: resendInDoubtData,
      async run(ctx) {
        // src/teams checked the data against the schema before `run`.
        const { campaignId, asOf } = resendInDoubtData.parse(ctx.data);
        await campaigns.resendInDoubt(campaignId, asOf, actorOf(ctx.caller));
        return progressInPlace(ctx, campaignId);
      },
    },
    {
      verb: 'campaign.resend',
      audience: 'admin',
      schema: campaignData,
      async run(ctx) {
        const id = campaignIdOf(ctx.data);
        await campaigns.resendFailed(id, actorOf(ctx.caller));
        return progressInPlace(ctx, id);
      },
    },
  ];
}
