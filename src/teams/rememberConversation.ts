import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationStore } from '../store/ports/conversationStore';
import { clientLocaleOf, conversationOf } from './activityInfo';

/**
 * Stores the reference of the conversation an activity came from, so the bot can post there
 * later (alerts now, reminders later). A channel message's conversation id carries the thread
 * (`19:…@thread.tacv2;messageid=…`); it is stored under the channel's own id, and without the
 * activity id, so a proactive post starts a new message instead of answering an old thread.
 */
export async function rememberConversation(
  activity: Partial<Activity>,
  store: Pick<ConversationStore, 'saveConversation'>,
  now: Date,
  recent?: RecentConversations,
): Promise<void> {
  if (!activity.serviceUrl || !activity.conversation?.id) return;
  const info = conversationOf(activity);
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  const conversationId =
    info.scope === 'channel' ? (info.channelId ?? info.id.split(';')[0] ?? info.id) : info.id;
  reference.conversation = { ...reference.conversation!, id: conversationId };
  const tenantId = activity.conversation.tenantId ?? null;
  const aadObjectId = info.scope === 'personal' ? (activity.from?.aadObjectId ?? null) : null;
  // A personal chat keeps its person's language and time zone, for reminders and thank-yous.
  const { locale, timeZone } =
    info.scope === 'personal' ? clientLocaleOf(activity) : { locale: null, timeZone: null };
  // Serialised once: the plain-JSON copy that is stored, and what tells an unchanged row.
  const referenceJson = JSON.stringify(reference);
  const fingerprint =
    JSON.stringify([info.scope, tenantId, info.teamId, aadObjectId, locale, timeZone]) + referenceJson;
  if (recent?.isFresh(conversationId, fingerprint, now)) return;
  await store.saveConversation({
    conversationId,
    scope: info.scope,
    tenantId,
    teamId: info.teamId,
    aadObjectId,
    reference: JSON.parse(referenceJson) as Record<string, unknown>,
    ...(locale ? { locale } : {}),
    ...(timeZone ? { timeZone } : {}),
    seenAt: now.toISOString(),
  });
  recent?.saved(conversationId, fingerprint, now);
}

/**
 * The references this process stored lately: a conversation that writes every few seconds
 * (an admin at work, a load test) is stored again only when its reference changes or its
 * `last_seen` is older than `refreshMs` — one SQLite/PostgreSQL write per turn is most of a
 * simple command's storage cost, and the row would not change. Bounded; oldest entries go first.
 */
export class RecentConversations {
  private readonly entries = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    private readonly refreshMs = 5 * 60_000,
    private readonly max = 10_000,
  ) {}

  isFresh(conversationId: string, fingerprint: string, now: Date): boolean {
    const e = this.entries.get(conversationId);
    return e !== undefined && e.fingerprint === fingerprint && now.getTime() - e.at < this.refreshMs;
  }

  saved(conversationId: string, fingerprint: string, now: Date): void {
    this.entries.delete(conversationId);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(conversationId, { fingerprint, at: now.getTime() });
  }
}
