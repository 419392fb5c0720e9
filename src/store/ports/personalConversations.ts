/** The 1:1 conversation with a person, which reminders are sent into. */
export interface PersonalConversations {
  /** The personal conversation with a user, if the bot has one. */
  findPersonalConversation(aadObjectId: string): Promise<{
    conversationId: string;
    reference: Record<string, unknown>;
  } | null>;
}
