import { z } from 'zod';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { CardAction } from './commandTypes';
import { computerData } from './computerIdOf';
import { answerDeviceQuery, type DeviceAnswerDeps } from './deviceAnswer';

/** The data of a shared device card's `refresh`: the Mac and the bot's signature over it. */
const viewData = computerData.extend({ signature: z.string().max(200).default('') });

/** How long a Mac's read-only view is reused: a busy channel opening one card asks once a minute. */
export const READ_ONLY_VIEW_TTL_MS = 60_000;
/** Most Macs whose read-only view is kept. */
const READ_ONLY_VIEW_MAX = 500;

/**
 * What a non-admin sees when Teams refreshes a card whose signature is not the bot's (a card
 * signed with a key since changed): no facts, and no error either — Teams sent it unasked.
 */
export function outdatedDeviceCard(): AdaptiveCard {
  return renderCard('notice', {
    style: 'default',
    title: 'Device card',
    text: 'This card can no longer be updated. Ask IT to post it again if you need its details.',
  });
}

/**
 * `device.view`: the Universal Actions `refresh` of a device card many people see. Teams asks it
 * for each viewer (automatically for the listed admins, and for everyone in chats under 60
 * people); an admin gets the full card with the fixes and Refresh, anyone else the read-only
 * view — but only of a Mac the bot itself put on a card (the signature), so a crafted invoke
 * cannot read other Macs. The read-only view is kept a minute per Mac: everyone opening a card
 * in a channel is one lookup, not one each.
 */
export function deviceViewAction(deps: DeviceAnswerDeps): CardAction {
  const readOnly = new Map<string, { at: number; card: Promise<AdaptiveCard> }>();
  const readOnlyView = (computerId: string, now: Date): Promise<AdaptiveCard> => {
    const hit = readOnly.get(computerId);
    if (hit && now.getTime() - hit.at < READ_ONLY_VIEW_TTL_MS) return hit.card;
    const query = { kind: 'jamf-id' as const, value: computerId };
    const card = answerDeviceQuery(query, deps, now, { shared: true, mode: 'readOnly' });
    if (readOnly.size >= READ_ONLY_VIEW_MAX) readOnly.clear();
    readOnly.set(computerId, { at: now.getTime(), card });
    // A failure is not kept: the next viewer asks again.
    card.catch(() => readOnly.delete(computerId));
    return card;
  };
  return {
    verb: 'device.view',
    audience: 'everyone',
    schema: viewData,
    async run(ctx) {
      const { computerId, signature } = viewData.parse(ctx.data);
      if (ctx.caller.isAdmin) {
        const query = { kind: 'jamf-id' as const, value: computerId };
        return { card: await answerDeviceQuery(query, deps, ctx.now(), { shared: true, mode: 'full' }) };
      }
      if (!deps.viewers?.verify(computerId, signature)) {
        ctx.log.warn(
          { computerId, trigger: ctx.trigger },
          'refused: device view with a signature the bot did not make',
        );
        if (ctx.trigger === 'automatic') return { card: outdatedDeviceCard() };
        return { message: 'Only IT admins can refresh this card.' };
      }
      return { card: await readOnlyView(computerId, ctx.now()) };
    },
  };
}
