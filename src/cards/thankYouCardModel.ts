import { escapeMarkdown } from './escapeMarkdown';

/** The `thankYou` template's model. */
export interface ThankYouCardModel {
  /** The card's language (Adaptive Cards' `lang`: ISO 639-1). */
  lang: string;
  title: string;
  text: string;
  footer: string;
}

/**
 * The thank-you a person gets once their Mac is compliant in Entra ID: short and warm, in the
 * seed article's words (registered and compliant → access to company apps). `locale` is the
 * person's language when known; the words are English for every locale today, and the card
 * declares the language they are in.
 */
export function thankYouCardModel(opts: {
  macName: string;
  personName: string | null;
  locale: string | null;
}): ThankYouCardModel {
  const first = opts.personName?.trim().split(/\s+/)[0];
  return {
    lang: 'en',
    title: `🎉 Thank you${first ? `, ${escapeMarkdown(first)}` : ''} — your Mac is compliant`,
    text: `**${escapeMarkdown(opts.macName)}** is registered and compliant — you now have access to company apps.`,
    footer: 'Nothing else to do. If an app still asks, sign out of it and in again.',
  };
}
