import { escalationCardModel } from '../cards/escalationCardModel';
import { renderCard } from '../cards/renderCard';
import type { CallerMacs } from '../compliance/callerMacs';
import { UpstreamError, UserInputError } from '../errors';
import { z } from 'zod';
import type { Logger } from '../log';
import type { Services } from '../services';
import { callerMacsFor } from './callerAnswers';
import type { Caller, CardAction, Command, ConversationInfo } from './commandTypes';

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** What the person is told, and what the audit log records. */
export interface ContactItResult {
  outcome: 'sent' | 'already_sent' | 'no_channel';
  title: string;
  text: string;
}

/**
 * Posts the caller's request for help, with their Macs and the diagnosis, to the admin channel
 * (through the notifier), at most once per person per UTC day: the store opens the day's
 * escalation atomically, so a double press sends one card. If no admin channel is known yet,
 * the escalation does not count and the person is told to try again later. Audited.
 */
export async function contactIt(
  caller: Caller,
  conversation: ConversationInfo,
  services: Services,
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
    macs = await callerMacsFor(caller, conversation, services, now);
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
  const upn = macs?.user.userPrincipalName ?? null;
  const name = caller.name ?? macs?.user.displayName ?? null;
  const day = now.toISOString().slice(0, 10);
  const opened = await services.store.openEscalation({
    userKey,
    day,
    createdAt: now.toISOString(),
    userName: name,
    userUpn: upn,
  });
  const audit = (outcome: string, details: Record<string, unknown>) =>
    services.store
      .appendAudit({
        at: now.toISOString(),
        actor: { teamsUserId: caller.teamsUserId, aadObjectId: caller.aadObjectId, name: caller.name },
        action: 'contact it',
        target: upn,
        outcome,
        details,
      })
      .catch((err: unknown) => log.error({ err }, 'could not audit contact IT'));

  if (!opened.created) {
    await audit('refused', { reason: 'already escalated today', escalationId: opened.existing.id });
    return {
      outcome: 'already_sent',
      title: 'IT already has your request',
      text: `You contacted IT today at ${TIME.format(new Date(opened.existing.createdAt))} UTC, and they have your Mac’s details. There is no need to send it again: they will reply here in Teams. If anything changes, ask me **status** to see where your Mac stands.`,
    };
  }
  const { escalation } = opened;
  const card = renderCard(
    'escalationCard',
    escalationCardModel({ name, upn, caller: macs, lookupProblem, now, note }),
  );
  const posted = await services.notifier.postToAdminChannel(card).catch((err: unknown) => {
    log.error({ err }, 'contact IT: could not post to the admin channel');
    return null;
  });
  if (!posted) {
    await services.store.markEscalationFailed(escalation.id);
    await audit('failed', { reason: 'no admin channel, or the post failed', escalationId: escalation.id });
    return {
      outcome: 'no_channel',
      title: 'I could not reach IT just now',
      text: 'Your request did not go through, so nothing was sent. Please try again later, or contact the IT service desk the usual way.',
    };
  }
  await services.store.markEscalationPosted(escalation.id, posted);
  await audit('sent', {
    escalationId: escalation.id,
    macs:
      macs?.macs.map((m) => ({ computerId: m.record.jamf.id, verdict: m.diagnosis?.verdict ?? null })) ?? [],
  });
  return {
    outcome: 'sent',
    title: 'I sent your request to IT',
    text: `IT now has your request with ${macs ? `the details of your ${macs.macs.length === 1 ? 'Mac' : `${macs.macs.length} Macs`}` : 'your name'} and what I found. Someone will reply to you here in Teams. You can contact IT through me once a day.`,
  };
}

function resultCard(r: ContactItResult) {
  return renderCard('notice', {
    style: r.outcome === 'sent' ? 'good' : r.outcome === 'already_sent' ? 'accent' : 'warning',
    title: r.title,
    text: r.text,
  });
}

/** `contact IT` (and "talk to someone", "help desk", …): escalate to the admin channel. */
export const contactItCommand: Command<Services> = {
  name: 'contact it',
  aliases: ['contact support'],
  audience: 'everyone',
  intents: ['contact_it'],
  summary: 'Sends IT your request for help, with your Mac’s details (once a day).',
  usage: 'contact IT',
  examples: ['contact IT'],
  async run(ctx) {
    // Asked in their own words ("my Mac still says N/A, can someone help"): IT reads them too.
    const note = ctx.intent ? ctx.text : ctx.args;
    const result = await contactIt(ctx.caller, ctx.conversation, ctx.services, ctx.now(), ctx.log, note);
    await ctx.reply({ card: resultCard(result) });
  },
};

/** The "Contact IT" button: same as the phrase; the answer comes as a new message, the card stays. */
export const contactItAction: CardAction<Services> = {
  verb: 'contact.it',
  audience: 'everyone',
  // Nothing is read from the data: who asks comes from the activity.
  schema: z.object({}),
  async run(ctx) {
    const result = await contactIt(ctx.caller, ctx.conversation, ctx.services, ctx.now(), ctx.log);
    await ctx.reply({ card: resultCard(result) });
    return { message: result.title };
  },
};
