import type { AdaptiveCard } from './cards/renderCard';

/** A card the bot posted on its own, and where: enough to update it in place later. */
export interface PostedCard {
  conversationId: string;
  activityId: string | null;
}

/**
 * Proactive messages, without the Bot Framework: jobs (connector alerts, the daily digest) post
 * through this port; src/teams implements it with botbuilder's `continueConversationAsync`.
 */
export interface Notifier {
  /** Posts a card to the admin channel; null when no admin channel is known yet (logged). */
  postToAdminChannel(card: AdaptiveCard): Promise<PostedCard | null>;
  /** Posts a card to a conversation the bot has seen (a scheduled campaign's progress card). */
  postToConversation(conversationId: string, card: AdaptiveCard): Promise<PostedCard>;
  /** Replaces a card posted earlier. */
  updateCard(posted: PostedCard, card: AdaptiveCard): Promise<void>;
}
