import type { BroadcastService } from '../broadcasts/broadcastService';
import type { Command } from './commandTypes';

/** `campaigns`: recent campaigns and the schedules. */
export function campaignsCommand(deps: { campaigns: Pick<BroadcastService, 'listCard'> }): Command {
  return {
    name: 'campaigns',
    audience: 'admin',
    summary:
      'Reminder campaigns and schedules, newest first, each with how many became compliant within 7 days.',
    usage: 'campaigns',
    examples: ['campaigns'],
    async run(ctx) {
      await ctx.reply({ card: await deps.campaigns.listCard() });
    },
  };
}
