import type { ConversationLocale } from '../compliance/storedConversationTypes';
import type { Logger } from '../log';

/**
 * The language and time zone a proactive card (reminder, thank-you) is written for: the person's
 * 1:1 chat as last seen (`known`, from the stored conversation), else their `preferredLanguage`
 * in Entra ID (`userLanguage`, one Graph read; no time zone, so UTC), else nothing (English). A
 * failed read is logged and falls back to English: it must not hold back the card.
 */
export async function readerLocale(
  aadObjectId: string,
  known: ConversationLocale | null,
  deps: { userLanguage?: (aadObjectId: string) => Promise<string | null>; logger: Pick<Logger, 'warn'> },
): Promise<ConversationLocale> {
  if (known?.locale) return known;
  if (!deps.userLanguage) return known ?? {};
  try {
    const locale = await deps.userLanguage(aadObjectId);
    return locale ? { ...known, locale } : (known ?? {});
  } catch (err) {
    deps.logger.warn({ err, aadObjectId }, 'could not read the person’s preferred language: English');
    return known ?? {};
  }
}
