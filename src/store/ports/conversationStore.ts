import type { StoredConversation } from '../../compliance/storedConversationTypes';

/** The conversations the bot has seen, with what it needs to post into them proactively. */
export interface ConversationStore {
  /** Inserts or refreshes a conversation (keeps `firstSeen`, updates the rest). */
  saveConversation(
    conversation: Omit<StoredConversation, 'firstSeen' | 'lastSeen'> & { seenAt: string },
  ): Promise<void>;
  getConversation(conversationId: string): Promise<StoredConversation | null>;
  /** The team channel the bot saw first: the admin channel when none is configured. */
  firstChannel(): Promise<StoredConversation | null>;
}
