import type { EscalationOutcome, EscalationRequest } from '../alerts/escalateToIt';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { CallerMacs } from '../compliance/callerMacs';
import { UpstreamError, UserInputError } from '../errors';
import type { Logger } from '../log';
import { actorOf } from './actorOf';
import { callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { Caller, ConversationInfo } from './commandTypes';

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

export interface ContactItDeps extends Pick<EndUserDeps, 'lookupCallerMacs'> {
  /** Posts the request to the admin channel, once a day per person, audited (src/alerts/escalateToIt). */
  escalateToIt: (request: EscalationRequest) => Promise<EscalationOutcome>;
}

/** What the person is told. */
export interface ContactItResult {
  outcome: EscalationOutcome['outcome'];
  title: string;
  text: string;
}

/**
 * The phrase and the button: looks the caller's Macs up (in their 1:1 chat only; a failed
 * look-up still reaches IT, with what could not be found said), escalates, and says what
 * happened. If no admin channel is known yet, the person is told to try again later.
 */
export async function contactIt(
  caller: Caller,
  conversation: ConversationInfo,
  deps: ContactItDeps,
  now: Date,
  log: Logger,
  /** What the person wrote when asking ("contact IT my Mac still says N/A"), shown to IT as typed. */
  note = '',
): Promise<ContactItResult> {
  const userKey = caller.aadObjectId ?? caller.teamsUserId;
  if (!userKey)
    throw new UserInputError('Teams did not tell me who you are, so I cannot contact IT for you.');
  // Only in a 1:1 chat, like status: the escalation carries the person's own Macs.
  let macs: CallerMacs | null = null;
  let lookupProblem = '';
  try {
    macs = await callerMacsFor(caller, conversation, deps, now);
  } catch (e) {
    if (e instanceof UserInputError && conversation.scope !== 'personal') throw e;
    if (!(e instanceof UpstreamError) && !(e instanceof UserInputError)) throw e;
    // IT still hears from the person; the card says what could not be looked up.
    lookupProblem =
      e instanceof UpstreamError
        ? `The bot could not look up this person's Macs (${e.service === 'jamf' ? 'Jamf Pro' : 'Microsoft Graph'}: ${e.code.replace('_', ' ')}). Run **check device** with their e-mail later.`
        : `The bot could not look up this person's Macs: ${e.message}`;
    log.warn({ err: e }, 'contact IT: look-up failed; escalating without the diagnosis');
  }
  const result = await deps.escalateToIt({
    actor: actorOf(caller),
    userKey,
    name: caller.name ?? macs?.user.displayName ?? null,
    upn: macs?.user.userPrincipalName ?? null,
    macs,
    lookupProblem,
    note,
    now,
    log,
  });
  switch (result.outcome) {
    case 'already_sent':
      return {
        outcome: result.outcome,
        title: 'IT already has your request',
        text: `You contacted IT today at ${TIME.format(new Date(result.since))} UTC, and they have your Mac’s details. There is no need to send it again: they will reply here in Teams. If anything changes, ask me **status** to see where your Mac stands.`,
      };
    case 'no_channel':
      return {
        outcome: result.outcome,
        title: 'I could not reach IT just now',
        text: 'Your request did not go through, so nothing was sent. Please try again later, or contact the IT service desk the usual way.',
      };
    case 'sent':
      return {
        outcome: result.outcome,
        title: 'I sent your request to IT',
        text: `IT now has your request with ${macs ? `the details of your ${macs.macs.length === 1 ? 'Mac' : `${macs.macs.length} Macs`}` : 'your name'} and what I found. Someone will reply to you here in Teams. You can contact IT through me once a day.`,
      };
  }
}

/** The answer to the person, as a notice card. */
export function contactItResultCard(r: ContactItResult): AdaptiveCard {
  return renderCard('notice', {
    style: r.outcome === 'sent' ? 'good' : r.outcome === 'already_sent' ? 'accent' : 'warning',
    title: r.title,
    text: r.text,
  });
}
