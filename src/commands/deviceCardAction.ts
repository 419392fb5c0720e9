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
      return { card: await answerDeviceQuery(query, deps, ctx.now()) };
    },
  };
}
