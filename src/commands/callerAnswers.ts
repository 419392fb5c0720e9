import type { CallerMacs } from '../compliance/callerMacs';
import { translatorFor, type Translator } from '../cards/i18n/translator';
import type { ComplianceCriteria } from '../compliance/types';
import { UserInputError } from '../errors';
import type { Caller, ConversationInfo } from './commandTypes';

/** What the end-user commands (`status`, troubleshooting, Contact IT) use. */
export interface EndUserDeps {
  /** The Macs of the Entra user behind the activity (`lookupCallerMacs`, bound to the clients). */
  lookupCallerMacs: (aadObjectId: string | null, now: Date) => Promise<CallerMacs>;
  /** What the plain-language card models need besides the clock. */
  advice: { criteria: ComplianceCriteria; selfServicePolicyName: string };
}

/**
 * The caller's own Macs for `status`, troubleshooting and Contact IT. Identity comes only from
 * the authenticated activity (`caller.aadObjectId`). Answers about a person's Macs are given in
 * their 1:1 chat only, never in a channel or group chat where others would read them.
 */
export async function callerMacsFor(
  caller: Caller,
  conversation: ConversationInfo,
  deps: Pick<EndUserDeps, 'lookupCallerMacs'>,
  now: Date,
): Promise<CallerMacs> {
  requirePersonal(conversation, translatorFor(caller));
  return deps.lookupCallerMacs(caller.aadObjectId, now);
}

/** Refuses, with the way forward, anything about the caller's own Mac outside a 1:1 chat. */
export function requirePersonal(conversation: ConversationInfo, tr: Translator = translatorFor()): void {
  if (conversation.scope !== 'personal') {
    throw new UserInputError(tr.t('status.personalOnly'), tr.t('status.personalOnlyHint'));
  }
}

/** What the plain-language card models need: the settings, the clock, and the caller's language. */
export function adviceContext(deps: Pick<EndUserDeps, 'advice'>, now: Date, caller: Caller) {
  return { ...deps.advice, now, t: translatorFor(caller) };
}
