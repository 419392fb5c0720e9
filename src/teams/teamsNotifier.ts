import { MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { cardAttachment, type AdaptiveCard } from '../cards/renderCard';
import type { Logger } from '../log';
import type { Notifier, PostedCard } from '../notifier';
import type { StoredConversation } from '../compliance/storedConversationTypes';
import type { ConversationStore } from '../store/ports/conversationStore';

export interface TeamsNotifierDeps {
  adapter: CloudAdapter;
  /** The bot's app id; empty in local mode (botbuilder then sends without a token). */
  appId: string;
  store: Pick<ConversationStore, 'getConversation' | 'firstChannel'>;
  /** `ADMIN_CHANNEL_ID`; null = the first team channel the bot saw. */
  adminChannelId: string | null;
  logger: Logger;
}

/**
 * `Notifier` on botbuilder: `continueConversationAsync` with a stored conversation reference —
 * the production path for proactive messages. The admin channel must have been seen once (an
 * install or an @mention there), because only an incoming activity tells the bot its serviceUrl.
 */
export function createTeamsNotifier(deps: TeamsNotifierDeps): Notifier {
  const { adapter, appId, store, adminChannelId, logger } = deps;

  async function adminChannel(): Promise<StoredConversation | null> {
    const found = adminChannelId ? await store.getConversation(adminChannelId) : await store.firstChannel();
    if (!found) {
      logger.warn(
        { adminChannelId },
        adminChannelId
          ? 'admin channel not seen yet: add the bot to that channel’s team or @mention it there once'
          : 'no admin channel yet: add the bot to a team (or set ADMIN_CHANNEL_ID) so alerts have somewhere to go',
      );
    }
    return found;
  }

  async function withConversation(conversationId: string, stored: StoredConversation | null) {
    const conv = stored ?? (await store.getConversation(conversationId));
    if (!conv) throw new Error(`no stored reference for conversation ${conversationId}`);
    return conv.reference as Partial<ConversationReference>;
  }

  /** A new top-level post in a conversation; resolves to the sent activity's id. */
  async function post(reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<string | null> {
    let activityId: string | null = null;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      // A new top-level post, not a reply to the continuation event botbuilder makes up.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      const sent = await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
      activityId = sent?.id ?? null;
    });
    return activityId;
  }

  return {
    async postToAdminChannel(card: AdaptiveCard): Promise<PostedCard | null> {
      const channel = await adminChannel();
      if (!channel) return null;
      const reference = await withConversation(channel.conversationId, channel);
      return { conversationId: channel.conversationId, activityId: await post(reference, card) };
    },

    async postToConversation(conversationId: string, card: AdaptiveCard): Promise<PostedCard> {
      const reference = await withConversation(conversationId, null);
      return { conversationId, activityId: await post(reference, card) };
    },

    async updateCard(posted: PostedCard, card: AdaptiveCard): Promise<void> {
      if (!posted.activityId) throw new Error('the posted card has no activity id to update');
      const reference = await withConversation(posted.conversationId, null);
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        await context.updateActivity({
          ...MessageFactory.attachment(cardAttachment(card)),
          id: posted.activityId!,
        });
      });
    },
  };
}
