import { AccessDeniedError, StoreUnavailableError, UpstreamError, UserInputError } from '../errors';
import type { ErrorCardModel } from './cardModels';
import { ENGLISH, type Translator } from './i18n/translator';
import { renderCard, type AdaptiveCard } from './renderCard';

type Described = Pick<ErrorCardModel, 'title' | 'what' | 'tryThis'>;

/** What went wrong and what to try, per error code — said the way an admin would say it. */
function describeUpstream(e: UpstreamError, tr: Translator): Described {
  const service = tr.t(`errors:service.${e.service}`);
  const status = e.status ? String(e.status) : 'none';
  const say = (key: string, values: Record<string, string> = {}): Described => ({
    title: tr.t(`errors:${key}.title`, { service, status, ...values }),
    what: tr.t(`errors:${key}.what`, { service, status, ...values }),
    tryThis: tr.t(`errors:${key}.tryThis`, { service, status, ...values }),
  });
  switch (e.code) {
    case 'unauthorized':
      return say('unauthorized', { status: String(e.status ?? 401) });
    case 'forbidden':
      if (e.service === 'graph' && e.permission) {
        // Names the permission (from the route table), never a token: the admin can fix it in one place.
        return say('forbiddenPermission', { permission: e.permission, request: e.request ?? 'none' });
      }
      return {
        title: tr.t('errors:forbidden.title', { service }),
        what: tr.t('errors:forbidden.what', { service }),
        tryThis: tr.t(e.service === 'jamf' ? 'errors:forbidden.tryJamf' : 'errors:forbidden.tryGraph'),
      };
    case 'conflict':
      return say('bad_request');
    default:
      return say(e.code);
  }
}

/** The bot's own database is out: nothing the person did, nothing to fix on their side. */
function describeStoreOutage(e: StoreUnavailableError, tr: Translator): Described {
  const key = `errors:storeUnavailable.${e.reason}`;
  return { title: tr.t(`${key}.title`), what: tr.t(`${key}.what`), tryThis: tr.t(`${key}.tryThis`) };
}

/**
 * The one friendly card for every failure: which service failed, what happened, what to try,
 * and a short reference to find the log line — in the reader's language (`tr`, English by
 * default). Never a stack trace, never a secret.
 */
export function errorCard(error: unknown, reference: string, tr: Translator = ENGLISH): AdaptiveCard {
  const ref = tr.t('errors:reference', { reference });
  const tryLabel = tr.t('errors:tryLabel');
  if (error instanceof UpstreamError)
    return renderCard('error', { ...describeUpstream(error, tr), tryLabel, reference: ref });
  if (error instanceof StoreUnavailableError)
    return renderCard('error', { ...describeStoreOutage(error, tr), tryLabel, reference: ref });
  if (error instanceof UserInputError) {
    return renderCard('error', {
      title: tr.t('errors:userInput.title'),
      what: error.message,
      tryThis: error.hint ?? tr.t('errors:userInput.tryThis'),
      tryLabel,
      reference: ref,
    });
  }
  if (error instanceof AccessDeniedError) {
    return renderCard('notice', { style: 'warning', title: tr.t('errors:notAllowed'), text: error.message });
  }
  return renderCard('error', {
    title: tr.t('errors:unexpected.title'),
    what: tr.t('errors:unexpected.what'),
    tryThis: tr.t('errors:unexpected.tryThis'),
    tryLabel,
    reference: ref,
  });
}

/** The error card's title alone, for answers that have room for one line (the compose box). */
export function errorHeadline(error: unknown, tr: Translator = ENGLISH): string {
  if (error instanceof UpstreamError) return describeUpstream(error, tr).title;
  if (error instanceof StoreUnavailableError) return describeStoreOutage(error, tr).title;
  if (error instanceof UserInputError || error instanceof AccessDeniedError) return error.message;
  return tr.t('errors:unexpected.title');
}
