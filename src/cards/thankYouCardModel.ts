import { escapeMarkdown } from './escapeMarkdown';
import { translatorFor, type Translator } from './i18n/translator';

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
 * seed article's words (registered and compliant → access to company apps), in the person's
 * language (`t`, else their stored `locale`; English when unknown or not spoken).
 */
export function thankYouCardModel(opts: {
  macName: string;
  personName: string | null;
  locale: string | null;
  t?: Translator;
}): ThankYouCardModel {
  const tr = opts.t ?? translatorFor({ locale: opts.locale });
  const first = opts.personName?.trim().split(/\s+/)[0];
  return {
    lang: tr.language,
    title: first ? tr.t('thankYou.titleNamed', { name: escapeMarkdown(first) }) : tr.t('thankYou.title'),
    text: tr.t('thankYou.text', { mac: escapeMarkdown(opts.macName) }),
    footer: tr.t('thankYou.footer'),
  };
}
