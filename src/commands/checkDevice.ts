import { z } from 'zod';
import { classifyDeviceQuery, MAX_DEVICE_QUERY } from '../compliance/classifyDeviceQuery';
import { UserInputError } from '../errors';
import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';
import { answerDeviceQuery } from './deviceAnswer';

const USAGE_HINT =
  'For example: **check device C02DEMO0004**, **check device Megan’s MacBook Air** or **check device megan.bowen@jamfdemo.example**.';

/** `check device <serial | name | device id | user>`: the diagnosis of one Mac, or a pick list. */
export const checkDeviceCommand: Command<Services> = {
  name: 'check device',
  aliases: ['check mac', 'check computer'],
  audience: 'admin',
  summary: "Why a Mac is or isn't compliant, and what fixes it.",
  usage: 'check device <serial | computer name | Entra device id | user e-mail>',
  examples: ['check device C02DEMO0004', 'check device megan.bowen@jamfdemo.example'],
  async run(ctx) {
    const query = classifyDeviceQuery(ctx.args);
    if (!query) throw new UserInputError('Which Mac should I check?', USAGE_HINT);
    if (query.value.length > MAX_DEVICE_QUERY) {
      throw new UserInputError(
        `That is ${query.value.length} characters; serial numbers, names and e-mail addresses are shorter than ${MAX_DEVICE_QUERY}.`,
        USAGE_HINT,
      );
    }
    await ctx.reply({ card: await answerDeviceQuery(query, ctx.services, ctx.now()) });
  },
};

const computerData = z.object({ computerId: z.string().regex(/^\d{1,12}$/, 'a Jamf computer id') });

function computerIdOf(data: Record<string, unknown>): string {
  const parsed = computerData.safeParse(data);
  if (!parsed.success) throw new UserInputError('That button did not say which Mac to check.', USAGE_HINT);
  return parsed.data.computerId;
}

/** Answers with one Mac's card from live data; the card replaces the one the button is on. */
function deviceCardAction(verb: string): CardAction<Services> {
  return {
    verb,
    audience: 'admin',
    schema: computerData,
    async run(ctx) {
      const query = { kind: 'jamf-id' as const, value: computerIdOf(ctx.data) };
      return { card: await answerDeviceQuery(query, ctx.services, ctx.now()) };
    },
  };
}

/** "Check" on a pick list or a suggestion: that Mac's card, in place. */
export const deviceCheckAction = deviceCardAction('device.check');

/** "Refresh" on a device card: diagnose again and update the card in place. */
export const deviceRefreshAction = deviceCardAction('device.refresh');
