import type { AdaptiveCard } from '../cards/renderCard';
import type { ConversationStore } from '../store/ports/conversationStore';
import type { PersonalConversations } from '../store/ports/personalConversations';
import { classifySendFailure } from './classifySendFailure';
import { openPersonalConversation, type OpenPersonalConversationDeps } from './openPersonalConversation';
import { personalThreadKey } from './personalThreadKey';
import type { ConversationTarget, ReminderTransport } from './reminderTransport';
import type { SendPacer } from './requestPacer';

export interface PersonalCardDeps extends OpenPersonalConversationDeps {
  store: Pick<ConversationStore, 'saveConversation'> & PersonalConversations;
  transport: ReminderTransport;
  pacer: SendPacer;
  tenantId: string;
  now: () => Date;
  /** 429s waited out (each for its `Retry-After`, at most a minute) before giving up. */
  maxThrottles?: number;
}

/** What became of one card: sent, or why not (no secrets). */
export type PersonalCardResult =
  { sent: true; conversationId: string; activityId: string | null } | { sent: false; detail: string };

const MAX_THROTTLE_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Sends one card 1:1 to a person, the way the reminders' dispatcher does — the stored 1:1, else
 * a new one (installing the app through Graph where allowed), paced per user under the shared
 * Teams ceiling — but outside a campaign's outbox. Only a 429 is retried: Teams refused it, so
 * nothing arrived. Any other failure is returned, never retried, since the card may have arrived.
 */
export async function sendPersonalCard(
  deps: PersonalCardDeps,
  aadObjectId: string,
  card: AdaptiveCard,
): Promise<PersonalCardResult> {
  let target: ConversationTarget | null = await deps.store.findPersonalConversation(aadObjectId);
  if (!target) {
    try {
      target = await openPersonalConversation(deps, { aadObjectId, tenantId: deps.tenantId }, deps.now());
    } catch (e) {
      return { sent: false, detail: describe(e) };
    }
  }
  const gate = async () => {
    await deps.pacer.acquire(personalThreadKey(aadObjectId));
    return true;
  };
  for (let throttles = 0; ; throttles++) {
    try {
      const result = await deps.transport.send(target, card, gate);
      return { sent: true, conversationId: target.conversationId, activityId: result?.activityId ?? null };
    } catch (e) {
      const f = classifySendFailure(e);
      if (f.kind !== 'throttled' || throttles >= (deps.maxThrottles ?? 3))
        return { sent: false, detail: describe(e) };
      const wait = Math.min(MAX_THROTTLE_WAIT_MS, f.retryAfterMs ?? 1_000);
      deps.pacer.pauseUntil(Date.now() + wait);
      await sleep(wait);
    }
  }
}

function describe(e: unknown): string {
  const f = classifySendFailure(e);
  if (f.kind === 'throttled') return '429';
  if (f.kind === 'permanent') return `${f.reason} (${f.detail})`;
  // Teams may have delivered it: said so, since the caller records it and never resends.
  if (f.kind === 'ambiguous') return `in doubt: ${f.reason} (${f.detail})`;
  return f.detail;
}
