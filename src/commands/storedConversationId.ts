import type { ConversationInfo } from './commandTypes';

/** The stored id of the conversation a command came from (a channel without its thread part). */
export const storedConversationId = (c: ConversationInfo): string =>
  c.scope === 'channel' ? (c.channelId ?? c.id.split(';')[0] ?? c.id) : c.id;
