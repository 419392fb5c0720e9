import { z } from 'zod';
import type { CardAction } from './commandTypes';
import { computerData } from './computerIdOf';
import { answerDeviceQuery, type DeviceAnswerDeps } from './deviceAnswer';

/** The data of a shared device card's `refresh`: the Mac and the bot's signature over it. */
const viewData = computerData.extend({ signature: z.string().max(200).default('') });

/**
 * `device.view`: the Universal Actions `refresh` of a device card many people see. Teams asks it
 * for each viewer (automatically for the listed admins, and for everyone in chats under 60
 * people); an admin gets the full card with the fixes and Refresh, anyone else the read-only
 * view — but only of a Mac the bot itself put on a card (the signature), so a crafted invoke
 * cannot read other Macs.
 */
export function deviceViewAction(deps: DeviceAnswerDeps): CardAction {
  return {
    verb: 'device.view',
    audience: 'everyone',
    schema: viewData,
    async run(ctx) {
      const { computerId, signature } = viewData.parse(ctx.data);
      const query = { kind: 'jamf-id' as const, value: computerId };
      if (ctx.caller.isAdmin)
        return { card: await answerDeviceQuery(query, deps, ctx.now(), { shared: true, mode: 'full' }) };
      if (!deps.viewers?.verify(computerId, signature)) {
        ctx.log.warn({ computerId }, 'refused: device view with a signature the bot did not make');
        return { message: 'Only IT admins can refresh this card.' };
      }
      return { card: await answerDeviceQuery(query, deps, ctx.now(), { shared: true, mode: 'readOnly' }) };
    },
  };
}
