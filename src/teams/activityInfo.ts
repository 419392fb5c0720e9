import { TurnContext, type Activity } from 'botbuilder';
import type { Caller, ConversationInfo, ConversationScope } from '../commands/commandTypes';

/** The tenant an activity comes from: `channelData.tenant.id`, else `conversation.tenantId`. */
export function tenantOf(activity: Partial<Activity>): string | null {
  const cd = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof cd?.tenant?.id === 'string' ? cd.tenant.id : null;
  const fromConversation =
    typeof activity.conversation?.tenantId === 'string' ? activity.conversation.tenantId : null;
  return fromChannelData ?? fromConversation;
}

/** Who sent the activity. `isAdmin` is filled in by the access policy. */
export function callerOf(activity: Partial<Activity>): Omit<Caller, 'isAdmin'> {
  const from = activity.from;
  const { locale, timeZone } = clientLocaleOf(activity);
  return {
    teamsUserId: typeof from?.id === 'string' ? from.id : '',
    aadObjectId: typeof from?.aadObjectId === 'string' && from.aadObjectId !== '' ? from.aadObjectId : null,
    name: typeof from?.name === 'string' ? from.name : null,
    tenantId: tenantOf(activity),
    ...(locale ? { locale } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** What a client may send as a locale (BCP 47, short) and a time zone (an IANA name); anything else is ignored. */
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
const str = (v: unknown, shape: RegExp): string | null =>
  typeof v === 'string' && shape.test(v.trim()) ? v.trim() : null;

/**
 * The Teams client's locale and time zone: `activity.locale` and `localTimezone`, else the
 * `clientInfo` entity Teams adds to messages (`locale`, `timezone`). Null when Teams did not say.
 */
export function clientLocaleOf(activity: Partial<Activity>): {
  locale: string | null;
  timeZone: string | null;
} {
  const info = (activity.entities ?? []).find((e) => e?.type === 'clientInfo') as
    { locale?: unknown; timezone?: unknown } | undefined;
  return {
    locale: str(activity.locale, LOCALE) ?? str(info?.locale, LOCALE),
    timeZone: str(activity.localTimezone, TIME_ZONE) ?? str(info?.timezone, TIME_ZONE),
  };
}

/** Where the activity happened: 1:1, a team channel, or a group chat. */
export function conversationOf(activity: Partial<Activity>): ConversationInfo {
  const conv = activity.conversation;
  const cd = activity.channelData as { team?: { id?: string }; channel?: { id?: string } } | undefined;
  const type = conv?.conversationType;
  const scope: ConversationScope =
    type === 'channel' || cd?.channel?.id
      ? 'channel'
      : type === 'groupChat' || conv?.isGroup
        ? 'groupChat'
        : 'personal';
  return {
    id: typeof conv?.id === 'string' ? conv.id : '',
    scope,
    teamId: cd?.team?.id ?? null,
    channelId: cd?.channel?.id ?? null,
  };
}

/** The message's text with the bot's @mention removed (Teams puts `<at>Bot</at>` in channel messages). */
export function messageText(activity: Partial<Activity>): string {
  if (typeof activity.text !== 'string') return '';
  let text = activity.text;
  try {
    if (activity.recipient?.id) text = TurnContext.removeRecipientMention(activity);
  } catch {
    // A malformed mention entity must not stop the message; fall back to stripping tags below.
  }
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim();
}
