export type StoredConversationScope = 'personal' | 'channel' | 'groupChat';

/** A conversation the bot has seen, with the Bot Framework reference needed to post into it. */
export interface StoredConversation {
  /** For a channel: the channel's conversation id (without `;messageid=…`). */
  conversationId: string;
  scope: StoredConversationScope;
  tenantId: string | null;
  teamId: string | null;
  /** Entra object id of the user, for personal conversations. */
  aadObjectId: string | null;
  /** botbuilder's `ConversationReference`, opaque to the store. */
  reference: Record<string, unknown>;
  /** The Teams client's locale (BCP 47) when last seen; absent when unknown. */
  locale?: string;
  /** The Teams client's IANA time zone when last seen; absent when unknown. */
  timeZone?: string;
  firstSeen: string;
  lastSeen: string;
}

/** Where a person's cards are written for: their client's locale and time zone, when known. */
export interface ConversationLocale {
  locale?: string;
  timeZone?: string;
}
