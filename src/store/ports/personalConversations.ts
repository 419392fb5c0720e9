import type { ConversationLocale } from '../../compliance/storedConversationTypes';

/** A person's 1:1 conversation: where to post, and the language and time zone their client last had. */
export interface PersonalConversation extends ConversationLocale {
  conversationId: string;
  reference: Record<string, unknown>;
}

/** The 1:1 conversation with a person, which reminders are sent into. */
export interface PersonalConversations {
  /** The personal conversation with a user, if the bot has one. */
  findPersonalConversation(aadObjectId: string): Promise<PersonalConversation | null>;
}
