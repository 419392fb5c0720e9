import type { CallerMacs } from '../compliance/callerMacs';
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
  requirePersonal(conversation);
  return deps.lookupCallerMacs(caller.aadObjectId, now);
}

/** Refuses, with the way forward, anything about the caller's own Mac outside a 1:1 chat. */
export function requirePersonal(conversation: ConversationInfo): void {
  if (conversation.scope !== 'personal') {
    throw new UserInputError(
      'I only talk about your own Mac in our 1:1 chat, so others here do not see it.',
      'Open a chat with me (Chat › New chat › Jamf Compliance) and ask there.',
    );
  }
}

/** What the plain-language card models need. */
export function adviceContext(deps: Pick<EndUserDeps, 'advice'>, now: Date) {
  return { ...deps.advice, now };
}
