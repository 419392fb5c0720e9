import { TurnContext, type Activity } from 'botbuilder';
import type { BotStore } from '../store/botStore';
import { conversationOf } from './activityInfo';

/**
 * Stores the reference of the conversation an activity came from, so the bot can post there
 * later (alerts now, reminders later). A channel message's conversation id carries the thread
 * (`19:…@thread.tacv2;messageid=…`); it is stored under the channel's own id, and without the
 * activity id, so a proactive post starts a new message instead of answering an old thread.
 */
export async function rememberConversation(
  activity: Partial<Activity>,
  store: Pick<BotStore, 'saveConversation'>,
  now: Date,
): Promise<void> {
  if (!activity.serviceUrl || !activity.conversation?.id) return;
  const info = conversationOf(activity);
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  const conversationId =
    info.scope === 'channel' ? (info.channelId ?? info.id.split(';')[0] ?? info.id) : info.id;
  reference.conversation = { ...reference.conversation!, id: conversationId };
  await store.saveConversation({
    conversationId,
    scope: info.scope,
    tenantId: activity.conversation.tenantId ?? null,
    teamId: info.teamId,
    aadObjectId: info.scope === 'personal' ? (activity.from?.aadObjectId ?? null) : null,
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    seenAt: now.toISOString(),
  });
}
