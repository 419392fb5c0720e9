import { classifyDeviceQuery, MAX_DEVICE_QUERY } from '../compliance/classifyDeviceQuery';
import { UserInputError } from '../errors';
import type { Command } from './commandTypes';
import { CHECK_DEVICE_HINT } from './computerIdOf';
import { answerDeviceQuery, type DeviceAnswerDeps } from './deviceAnswer';

/** `check device <serial | name | device id | user>`: the diagnosis of one Mac, or a pick list. */
export function checkDeviceCommand(deps: DeviceAnswerDeps): Command {
  return {
    name: 'check device',
    aliases: ['check mac', 'check computer'],
    audience: 'admin',
    summary: "Why a Mac is or isn't compliant, and what fixes it.",
    usage: 'check device <serial | computer name | Entra device id | user e-mail>',
    examples: ['check device C02DEMO0004', 'check device megan.bowen@jamfdemo.example'],
    async run(ctx) {
      const query = classifyDeviceQuery(ctx.args);
      if (!query) throw new UserInputError('Which Mac should I check?', CHECK_DEVICE_HINT);
      if (query.value.length > MAX_DEVICE_QUERY) {
        throw new UserInputError(
          `That is ${query.value.length} characters; serial numbers, names and e-mail addresses are shorter than ${MAX_DEVICE_QUERY}.`,
          CHECK_DEVICE_HINT,
        );
      }
      // In a channel or group chat everyone sees the card: read-only, refreshed into the full view for admins.
      const view = ctx.conversation.scope === 'personal' ? {} : { shared: true, mode: 'readOnly' as const };
      await ctx.reply({ card: await answerDeviceQuery(query, deps, ctx.now(), view) });
    },
  };
}
