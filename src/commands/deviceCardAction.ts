import type { CardAction } from './commandTypes';
import { computerData, computerIdOf } from './computerIdOf';
import { answerDeviceQuery, type DeviceAnswerDeps } from './deviceAnswer';

/**
 * A button that answers with one Mac's card from live data, replacing the card it is on:
 * "Check" on a pick list or a suggestion (`device.check`), "Refresh" on a device card (`device.refresh`).
 */
export function deviceCardAction(
  verb: 'device.check' | 'device.refresh',
  deps: DeviceAnswerDeps,
): CardAction {
  return {
    verb,
    audience: 'admin',
    schema: computerData,
    async run(ctx) {
      const query = { kind: 'jamf-id' as const, value: computerIdOf(ctx.data) };
      // The admin's own view of a card others see too: Teams shows an Action.Execute answer to its presser only.
      const view = ctx.conversation.scope === 'personal' ? {} : { shared: true };
      return { card: await answerDeviceQuery(query, deps, ctx.now(), view) };
    },
  };
}
