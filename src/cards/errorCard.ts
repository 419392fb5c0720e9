import { AccessDeniedError, UpstreamError, UserInputError, type UpstreamService } from '../errors';
import type { ErrorCardModel } from './cardModels';
import { renderCard, type AdaptiveCard } from './renderCard';

const SERVICE_NAMES: Record<UpstreamService, string> = {
  graph: 'Microsoft Graph (Entra ID and Intune)',
  jamf: 'Jamf Pro',
  teams: 'Microsoft Teams',
  store: "The bot's database",
};

/** What went wrong and what to try, per error code — said the way an admin would say it. */
function describeUpstream(e: UpstreamError): Omit<ErrorCardModel, 'reference'> {
  const svc = SERVICE_NAMES[e.service];
  switch (e.code) {
    case 'throttled':
      return {
        title: `${svc} asked me to slow down`,
        what: `${svc} is throttling requests right now, and it still was after I waited and retried.`,
        tryThis: 'Try again in a minute or two.',
      };
    case 'unauthorized':
      return {
        title: `${svc} did not accept the bot's credentials`,
        what: `${svc} refused the bot's sign-in (HTTP ${e.status ?? 401}).`,
        tryThis: `Check the bot's client id and secret for ${svc}, and that the secret has not expired.`,
      };
    case 'forbidden':
      if (e.service === 'graph' && e.permission) {
        // Names the permission (from the route table), never a token: the admin can fix it in one place.
        return {
          title: `The bot lacks the Graph permission ${e.permission}`,
          what: `The bot's app registration lacks the Microsoft Graph application permission ${e.permission}${e.request ? ` (needed for ${e.request})` : ''}.`,
          tryThis: `Grant it in Entra admin center › App registrations › the bot's Graph app (GRAPH_CLIENT_ID) › API permissions › Add a permission › Microsoft Graph › Application permissions, then grant admin consent. docs/deploy.md lists every permission per feature.`,
        };
      }
      return {
        title: `The bot may not read that from ${svc}`,
        what: `${svc} said the bot's account lacks a permission for this request.`,
        tryThis:
          e.service === 'jamf'
            ? "Check the Jamf Pro API role's privileges (see docs/deploy.md)."
            : 'Check that admin consent was granted for the Graph permissions in docs/deploy.md.',
      };
    case 'not_found':
      return {
        title: `${svc} could not find it`,
        what: `${svc} answered that the item does not exist (HTTP 404).`,
        tryThis: 'Check the name or id and try again.',
      };
    case 'timeout':
      return {
        title: `${svc} didn't answer in time`,
        what: `I waited for ${svc} and got no answer.`,
        tryThis: `Try again in a minute. If it keeps happening, check that ${svc} is reachable from the bot.`,
      };
    case 'gone':
      return {
        title: `${svc} no longer accepts where I left off`,
        what: `${svc} said a paging or change-tracking token I kept has expired${e.status ? ` (HTTP ${e.status})` : ''}.`,
        tryThis: 'I start that read again from the beginning on my own; try again in a few minutes.',
      };
    case 'unavailable':
      return {
        title: `${svc} is having trouble`,
        what: `${svc} answered with a server error${e.status ? ` (HTTP ${e.status})` : ''}, also when I retried.`,
        tryThis: 'Try again in a few minutes.',
      };
    case 'bad_request':
    case 'conflict':
      return {
        title: `${svc} refused the request`,
        what: `${svc} said the request was not valid${e.status ? ` (HTTP ${e.status})` : ''}.`,
        tryThis: 'Check what you typed. If it looks right, tell the bot owners: it may be a bug.',
      };
    case 'bad_response':
      return {
        title: `${svc} sent an answer I could not read`,
        what: `The answer from ${svc} was not in the shape I expected.`,
        tryThis: 'Try again; if it persists, tell the bot owners — the API may have changed.',
      };
  }
}

/**
 * The one friendly card for every failure: which service failed, what happened, what to try,
 * and a short reference to find the log line. Never a stack trace, never a secret.
 */
export function errorCard(error: unknown, reference: string): AdaptiveCard {
  const ref = `Reference: ${reference}`;
  if (error instanceof UpstreamError)
    return renderCard('error', { ...describeUpstream(error), reference: ref });
  if (error instanceof UserInputError) {
    return renderCard('error', {
      title: "I can't do that with what you typed",
      what: error.message,
      tryThis: error.hint ?? 'Type **help** for examples.',
      reference: ref,
    });
  }
  if (error instanceof AccessDeniedError) {
    return renderCard('notice', { style: 'warning', title: 'Not allowed', text: error.message });
  }
  return renderCard('error', {
    title: 'Something went wrong on my side',
    what: 'The bot hit an unexpected error while working on your request. Nothing was changed.',
    tryThis: 'Try again. If it happens again, send the reference below to the bot owners.',
    reference: ref,
  });
}

/** The error card's title alone, for answers that have room for one line (the compose box). */
export function errorHeadline(error: unknown): string {
  if (error instanceof UpstreamError) return describeUpstream(error).title;
  if (error instanceof UserInputError || error instanceof AccessDeniedError) return error.message;
  return 'Something went wrong on my side';
}
