import type { BroadcastService } from '../broadcasts/broadcastService';
import { UserInputError } from '../errors';
import type { Command } from './commandTypes';
import { storedConversationId } from './storedConversationId';

/** `campaign <id>`: one campaign's progress card (it then updates in place). */
export function campaignCommand(deps: {
  campaigns: Pick<BroadcastService, 'progressCard' | 'setProgressCard'>;
}): Command {
  const { campaigns } = deps;
  return {
    name: 'campaign',
    menuWhenRoom: true,
    audience: 'admin',
    summary:
      'One campaign’s progress: sent, failed and skipped by reason; its funnel (sent → checked → compliant, against people not reminded); Pause, Cancel, Export CSV.',
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
      const activityId = await ctx.reply({ card: await campaigns.progressCard(id) });
      if (activityId)
        await campaigns.setProgressCard(id, {
          conversationId: storedConversationId(ctx.conversation),
          activityId,
        });
    },
  };
}
