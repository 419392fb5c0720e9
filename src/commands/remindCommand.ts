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
import { actorOf } from './actorOf';
import type { Command } from './commandTypes';
import type { FleetAnswer } from './fleetAnswer';
import { storedConversationId } from './storedConversationId';

const HINT = `For example: **remind preview**, **${REMIND_USAGE}**, **${SCHEDULE_USAGE}**, **remind unschedule s-1a2b3c4d**.`;

export interface RemindDeps {
  /** Previews, schedules (audited) and their next runs. */
  campaigns: Pick<BroadcastService, 'confirmCard' | 'addSchedule' | 'nextRun' | 'removeSchedule'>;
  /** Previews answer from the fleet snapshot (the progress card during its first build). */
  fleetAnswer: FleetAnswer;
}

function options<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RemindOptionError) throw new UserInputError(e.message, HINT);
    throw e;
  }
}

/** `remind preview|send|schedule|unschedule …`: reminder campaigns (PRODUCT.md §3). */
export function remindCommand(deps: RemindDeps): Command {
  const { campaigns } = deps;
  return {
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
      switch (sub.toLowerCase()) {
        case 'preview':
        case 'send': {
          const opts = options(() => parseRemindOptions(restText, ctx.now()));
          const preview = sub.toLowerCase() === 'preview';
          await deps.fleetAnswer.reply(
            ctx,
            { ready: (fleet) => campaigns.confirmCard(opts, preview, fleet) },
            `remind ${sub.toLowerCase()}`,
          );
          return;
        }
        case 'schedule': {
          const opts = options(() => parseScheduleOptions(restText, ctx.now(), checkCron));
          const s = await campaigns.addSchedule(
            opts,
            actorOf(ctx.caller),
            storedConversationId(ctx.conversation),
          );
          const next = campaigns.nextRun(s.id);
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
          if (!(await campaigns.removeSchedule(id, actorOf(ctx.caller)))) {
            throw new UserInputError(
              `There is no schedule “${id}”.`,
              'Type **campaigns** to see the schedules.',
            );
          }
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
}
