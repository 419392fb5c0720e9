import { ENGLISH, translatorFor, type Translator } from '../../cards/i18n/translator';
import type { Caller } from '../../commands/commandTypes';

/**
 * The language the bot's own notices (error card, "slow down") are written in for this caller:
 * an end user's, from their Teams client; English for admins, whose cards and command errors
 * are English, and before the caller is known.
 */
export function readerOf(caller: Caller | null | undefined): Translator {
  return caller && !caller.isAdmin ? translatorFor(caller) : ENGLISH;
}
