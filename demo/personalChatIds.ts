/**
 * The two ids a user's 1:1 chat with the bot has in Teams, as the demo tenant makes them:
 *
 * - the Bot Framework conversation id (`a:1…`): what `POST /v3/conversations` returns and what
 *   the user's own messages carry in `conversation.id`; opaque in Teams, stable per user and bot;
 * - the Graph chat id (`19:{user}_{bot}@unq.gbl.spaces`): what Graph's
 *   `GET /users/{id}/teamwork/installedApps/{id}/chat` returns after a (proactive) install.
 *
 * Teams' Bot Connector accepts either for the same chat (Microsoft's "Send proactive installation
 * messages" has the bot message the user through the chat id it read from Graph), so both name
 * ONE thread: one rate-limit window, one delivery record. The demo's `a:` id encodes the user
 * (base64url), so the stand-in knows every user's 1:1 without being told, as Teams does.
 */
export const personalChatIds = {
  /** The Bot Framework conversation id of the user's 1:1 with the bot. */
  conversationId(aadObjectId: string): string {
    return `a:1${Buffer.from(aadObjectId.toLowerCase(), 'utf8').toString('base64url')}`;
  },

  /** The Graph chat id of the user's 1:1 with the bot (`botAppId`: the bot's Entra app id). */
  graphChatId(aadObjectId: string, botAppId: string): string {
    return `19:${aadObjectId.toLowerCase()}_${botAppId.toLowerCase()}@unq.gbl.spaces`;
  },

  /**
   * The user a personal chat id (either form) is with, or null when the id is not one. For a
   * Graph chat id, the member is the side that is not `botAppId` (when given; else the first).
   */
  memberOf(conversationId: string, botAppId?: string): string | null {
    if (conversationId.startsWith('a:1')) {
      const encoded = conversationId.slice(3);
      const member = Buffer.from(encoded, 'base64url').toString('utf8');
      return member && Buffer.from(member, 'utf8').toString('base64url') === encoded ? member : null;
    }
    const chat = /^19:([^_@;]+)_([^_@;]+)@unq\.gbl\.spaces$/i.exec(conversationId);
    if (!chat) return null;
    const [a, b] = [chat[1]!.toLowerCase(), chat[2]!.toLowerCase()];
    if (botAppId === undefined) return a;
    const bot = botAppId.toLowerCase();
    return a === bot ? b : b === bot ? a : null;
  },
};
