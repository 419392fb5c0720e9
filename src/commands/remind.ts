import { z } from 'zod';
import type { BroadcastService } from '../broadcasts/broadcastService';
import { checkCron } from '../broadcasts/campaignSchedules';
import {
  parseRemindOptions,
  parseScheduleOptions,
  RemindOptionError,
  REMIND_USAGE,
  SCHEDULE_USAGE,
  tokenize,
} from '../broadcasts/parseRemindOptions';
import { renderCard } from '../cards/renderCard';
import { UserInputError } from '../errors';
import type { Services } from '../services';
import type { CampaignActor } from '../store/campaignStore';
import type {
  Caller,
  CardAction,
  CardActionContext,
  Command,
  CommandContext,
  ConversationInfo,
} from './commandTypes';

const HINT = `For example: **remind preview**, **${REMIND_USAGE}**, **${SCHEDULE_USAGE}**, **remind unschedule s-1a2b3c4d**.`;

function broadcasts(services: Services): BroadcastService {
  if (!services.broadcasts) {
    throw new UserInputError(
      'Reminders are not set up in this bot.',
      'Ask whoever runs the bot to enable them.',
    );
  }
  return services.broadcasts;
}

export const actorOf = (c: Caller): CampaignActor => ({
  teamsUserId: c.teamsUserId,
  aadObjectId: c.aadObjectId,
  name: c.name,
});

/** The stored id of the conversation a command came from (a channel without its thread part). */
export const storedConversationId = (c: ConversationInfo): string =>
  c.scope === 'channel' ? (c.channelId ?? c.id.split(';')[0] ?? c.id) : c.id;

function options<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RemindOptionError) throw new UserInputError(e.message, HINT);
    throw e;
  }
}

/** Appends an audit entry; a store failure is logged, never shown. */
async function audit(
  ctx: Pick<CommandContext<Services>, 'caller' | 'now' | 'services' | 'log'>,
  action: string,
  target: string,
  outcome: string,
  details: Record<string, unknown>,
): Promise<void> {
  await ctx.services.store
    .appendAudit({
      at: ctx.now().toISOString(),
      actor: actorOf(ctx.caller),
      action,
      target,
      outcome,
      details,
    })
    .catch((err: unknown) => ctx.log.error({ err }, 'could not write the audit entry'));
}

/** `remind preview|send|schedule|unschedule …`: reminder campaigns (PRODUCT.md §3). */
export const remindCommand: Command<Services> = {
  name: 'remind',
  audience: 'admin',
  summary: 'Remind everyone whose Mac is not registered or not compliant: preview, send, schedule.',
  usage:
    'remind preview | send | schedule "<cron>" | unschedule <id> [deadline <date>] [audience …] [group <name>]',
  examples: [
    'remind preview',
    'remind send deadline 2026-12-31 audience not-registered',
    'remind schedule "0 9 * * MON" tz Europe/Paris',
  ],
  async run(ctx) {
    const [sub = '', ...rest] = tokenize(ctx.args);
    const restText = ctx.args.slice(ctx.args.toLowerCase().indexOf(sub.toLowerCase()) + sub.length).trim();
    const service = broadcasts(ctx.services);
    switch (sub.toLowerCase()) {
      case 'preview':
      case 'send': {
        const opts = options(() => parseRemindOptions(restText, ctx.now()));
        await ctx.reply({ card: await service.confirmCard(opts, sub.toLowerCase() === 'preview') });
        return;
      }
      case 'schedule': {
        const opts = options(() => parseScheduleOptions(restText, ctx.now(), checkCron));
        const s = await service.addSchedule(
          opts,
          actorOf(ctx.caller),
          storedConversationId(ctx.conversation),
        );
        await audit(ctx, 'remind schedule', s.id, 'scheduled', { ...opts });
        const next = service.schedules.nextRun(s.id);
        await ctx.reply({
          card: renderCard('notice', {
            style: 'good',
            title: `Scheduled ${s.id}`,
            text: `Reminders go out on “${s.cron}” (${s.timeZone})${next ? `, next on ${next.toISOString().replace('T', ' ').slice(0, 16)} UTC` : ''}, to ${s.audience}${s.groupName ? ` in ${s.groupName}` : ''}. Each run posts its progress card here. Stop it with **remind unschedule ${s.id}**.`,
          }),
        });
        return;
      }
      case 'unschedule': {
        const id = rest[0] ?? '';
        if (!(await service.removeSchedule(id))) {
          throw new UserInputError(
            `There is no schedule “${id}”.`,
            'Type **campaigns** to see the schedules.',
          );
        }
        await audit(ctx, 'remind unschedule', id, 'removed', {});
        await ctx.reply({
          card: renderCard('notice', {
            style: 'good',
            title: `Schedule ${id} removed`,
            text: 'No more runs will start.',
          }),
        });
        return;
      }
      default:
        throw new UserInputError(
          sub ? `I don't know “remind ${sub}”.` : 'What should I do with reminders?',
          HINT,
        );
    }
  },
};

/** `campaigns`: recent campaigns and the schedules. */
export const campaignsCommand: Command<Services> = {
  name: 'campaigns',
  audience: 'admin',
  summary: 'Reminder campaigns and schedules, newest first.',
  usage: 'campaigns',
  examples: ['campaigns'],
  async run(ctx) {
    await ctx.reply({ card: await broadcasts(ctx.services).listCard() });
  },
};

/** `campaign <id>`: one campaign's progress card (it then updates in place). */
export const campaignCommand: Command<Services> = {
  name: 'campaign',
  audience: 'admin',
  summary: 'One campaign’s progress: sent, failed and skipped by reason; Pause, Cancel, Export CSV.',
  usage: 'campaign <id>',
  examples: ['campaign c-7f3a9e21'],
  async run(ctx) {
    const id = ctx.args.trim();
    if (!/^c-[0-9a-f]{8}$/.test(id)) {
      throw new UserInputError(
        'Which campaign? Ids look like c-7f3a9e21.',
        'Type **campaigns** to list them.',
      );
    }
    const service = broadcasts(ctx.services);
    const activityId = await ctx.reply({ card: await service.progressCard(id) });
    if (activityId)
      await service.setProgressCard(id, {
        conversationId: storedConversationId(ctx.conversation),
        activityId,
      });
  },
};

const campaignData = z.object({ campaignId: z.string().regex(/^c-[0-9a-f]{8}$/) });
const campaignIdOf = (data: Record<string, unknown>): string => {
  const parsed = campaignData.safeParse(data);
  if (!parsed.success)
    throw new UserInputError('That button did not say which campaign.', 'Type **campaigns**.');
  return parsed.data.campaignId;
};

/** The progress card, in place, and remembered as the card to keep updating. */
async function progressInPlace(ctx: CardActionContext<Services>, id: string) {
  const service = broadcasts(ctx.services);
  if (ctx.cardActivityId) {
    await service.setProgressCard(id, {
      conversationId: storedConversationId(ctx.conversation),
      activityId: ctx.cardActivityId,
    });
  }
  return { card: await service.progressCard(id) };
}

const sendData = z.object({
  campaignId: z
    .string()
    .regex(/^c-[0-9a-f]{8}$/)
    .optional(),
  audience: z.enum(['not-registered', 'non-compliant', 'all']),
  group: z.string().max(256).default(''),
  deadline: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).default(''),
});

/** "Send" on the confirmation card: starts the campaign; the card becomes its progress card. */
export const campaignSendAction: CardAction<Services> = {
  verb: 'campaign.send',
  audience: 'admin',
  schema: sendData,
  async run(ctx) {
    const parsed = sendData.safeParse(ctx.data);
    if (!parsed.success)
      throw new UserInputError('That Send button is not valid any more.', 'Type **remind send** again.');
    const { campaignId, audience, group, deadline } = parsed.data;
    const service = broadcasts(ctx.services);
    const already = campaignId ? await ctx.services.store.getCampaign(campaignId) : null;
    if (already) return progressInPlace(ctx, already.id);
    const campaign = await service.startCampaign(
      { audience, groupName: group || null, deadline: deadline || null },
      actorOf(ctx.caller),
      null,
      campaignId,
    );
    await audit(ctx, 'remind send', campaign.id, 'started', {
      audience,
      group: group || null,
      deadline: deadline || null,
    });
    return progressInPlace(ctx, campaign.id);
  },
};

export const campaignRefreshAction: CardAction<Services> = {
  verb: 'campaign.refresh',
  audience: 'admin',
  schema: campaignData,
  run: (ctx) => progressInPlace(ctx, campaignIdOf(ctx.data)),
};

function transitionAction(verb: string, to: 'paused' | 'running' | 'cancelled'): CardAction<Services> {
  return {
    verb,
    audience: 'admin',
    schema: campaignData,
    async run(ctx) {
      const id = campaignIdOf(ctx.data);
      await broadcasts(ctx.services).transition(id, to);
      await audit(ctx, verb, id, to, {});
      return progressInPlace(ctx, id);
    },
  };
}

export const campaignPauseAction = transitionAction('campaign.pause', 'paused');
export const campaignResumeAction = transitionAction('campaign.resume', 'running');
export const campaignCancelAction = transitionAction('campaign.cancel', 'cancelled');

export const campaignResendAction: CardAction<Services> = {
  verb: 'campaign.resend',
  audience: 'admin',
  schema: campaignData,
  async run(ctx) {
    const id = campaignIdOf(ctx.data);
    const n = await broadcasts(ctx.services).resendFailed(id);
    await audit(ctx, 'campaign.resend', id, 'requeued', { rows: n });
    ctx.log.info({ campaignId: id, requeued: n }, 'resend to failed');
    return progressInPlace(ctx, id);
  },
};
