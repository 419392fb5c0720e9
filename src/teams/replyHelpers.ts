import { MessageFactory, type TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards/renderCard';
import type { ReplyContent } from '../commands/commandTypes';

function toActivity(content: ReplyContent) {
  return typeof content === 'string'
    ? MessageFactory.text(content)
    : MessageFactory.attachment(cardAttachment(content.card));
}

/**
 * `reply` and `update` bound to one turn, so commands never see the adapter
 * (Bolt builds `say`/`respond` per event the same way).
 */
export function replyHelpers(context: TurnContext) {
  return {
    async reply(content: ReplyContent): Promise<string | undefined> {
      const res = await context.sendActivity(toActivity(content));
      return res?.id;
    },
    async update(activityId: string, content: ReplyContent): Promise<void> {
      await context.updateActivity({ ...toActivity(content), id: activityId });
    },
  };
}
