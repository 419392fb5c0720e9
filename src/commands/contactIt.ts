import type { EscalationOutcome, EscalationRequest } from '../alerts/escalateToIt';
import { formatTime } from '../cards/formatDate';
import { translatorFor } from '../cards/i18n/translator';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { CallerMacs } from '../compliance/callerMacs';
import { UpstreamError, UserInputError } from '../errors';
import type { Logger } from '../log';
import { actorOf } from './actorOf';
import { callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { Caller, ConversationInfo } from './commandTypes';

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
  const tr = translatorFor(caller);
  const userKey = caller.aadObjectId ?? caller.teamsUserId;
  if (!userKey) throw new UserInputError(tr.t('contactIt.noIdentity'));
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
        title: tr.t('contactIt.alreadySentTitle'),
        text: tr.t('contactIt.alreadySentText', { time: formatTime(result.since, tr) }),
      };
    case 'no_channel':
      return {
        outcome: result.outcome,
        title: tr.t('contactIt.noChannelTitle'),
        text: tr.t('contactIt.noChannelText'),
      };
    case 'sent':
      return {
        outcome: result.outcome,
        title: tr.t('contactIt.sentTitle'),
        text: tr.t('contactIt.sentText', { found: macs ? 'yes' : 'no', count: macs?.macs.length ?? 0 }),
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
