import type { ConversationStore } from '../store/ports/conversationStore';
import { classifySendFailure } from './classifySendFailure';
import type { ProactiveInstaller } from './proactiveInstaller';
import type { ConversationTarget, ReminderTransport } from './reminderTransport';
import type { SendPacer } from './requestPacer';

export interface OpenPersonalConversationDeps {
  store: Pick<ConversationStore, 'saveConversation'>;
  transport: Pick<ReminderTransport, 'createPersonalConversation' | 'personalConversation'>;
  pacer: Pick<SendPacer, 'acquire'>;
  /** Installs the app through Graph for users Teams refuses a 1:1 with; absent: they fail. */
  installer?: ProactiveInstaller;
}

/**
 * Creates the 1:1 conversation with a person the bot has not chatted with, and stores it for
 * next time. When Teams refuses because the app is not installed for the user, installs it
 * through Graph (an existing install counts) and uses the chat that opened. A refused install
 * throws `InstallRefusedError`; other failures throw as the transport threw them. Reminders and
 * thank-you cards reach people this one way.
 */
export async function openPersonalConversation(
  deps: OpenPersonalConversationDeps,
  user: { aadObjectId: string; tenantId: string },
  now: Date,
): Promise<ConversationTarget> {
  const { store, transport, pacer, installer } = deps;
  let target: ConversationTarget;
  try {
    await pacer.acquire(null);
    target = await transport.createPersonalConversation(user);
  } catch (e) {
    const f = classifySendFailure(e);
    if (!installer || f.kind !== 'permanent' || f.reason !== 'not_installed') throw e;
    target = await transport.personalConversation(user, await installer.install(user.aadObjectId));
  }
  await store.saveConversation({
    conversationId: target.conversationId,
    scope: 'personal',
    tenantId: user.tenantId,
    teamId: null,
    aadObjectId: user.aadObjectId,
    reference: target.reference,
    seenAt: now.toISOString(),
  });
  return target;
}
