import type { CallerMacs } from '../compliance/callerMacs';
import { UserInputError } from '../errors';
import { lookupCallerMacs } from '../lookup/lookupCallerMacs';
import type { Services } from '../services';
import type { Caller, ConversationInfo } from './commandTypes';

/**
 * The caller's own Macs for `status`, troubleshooting and Contact IT. Identity comes only from
 * the authenticated activity (`caller.aadObjectId`). Answers about a person's Macs are given in
 * their 1:1 chat only, never in a channel or group chat where others would read them.
 */
export async function callerMacsFor(
  caller: Caller,
  conversation: ConversationInfo,
  services: Services,
  now: Date,
): Promise<CallerMacs> {
  requirePersonal(conversation);
  return lookupCallerMacs(caller.aadObjectId, services, services.config.criteria, now, {
    selfServicePolicyName: services.config.endUsers.selfServicePolicyName,
  });
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
export function adviceContext(services: Services, now: Date) {
  return {
    criteria: services.config.criteria,
    selfServicePolicyName: services.config.endUsers.selfServicePolicyName,
    now,
  };
}
