import type { TextLine } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';
import { ENGLISH, type Translator } from './i18n/translator';

/** What the bot can help an end user with: the message keys, and the words the button sends. */
const MENU: { key: string; value: string }[] = [
  { key: 'status', value: 'status' },
  { key: 'register', value: 'how do I register?' },
  { key: 'error', value: 'I get AccountNotOnboarded' },
  { key: 'na', value: 'my Mac shows N/A' },
  { key: 'contact', value: 'contact IT' },
];

/** The `endUserMenu` template's model. */
export interface EndUserMenuModel {
  title: string;
  understood: string;
  intro: string;
  items: readonly TextLine[];
  /** imBack buttons: `value` is sent as if typed (the registry's own words, in English). */
  buttons: readonly { title: string; value: string }[];
}

/**
 * The end user's menu: what they can ask, as buttons that send the words (imBack), in the
 * reader's language. Shown for a message the bot did not understand, so an end user never gets
 * silence or a command list.
 */
export function endUserMenuModel(typed: string | null, tr: Translator = ENGLISH): EndUserMenuModel {
  const shown = typed && typed.length > 120 ? `${typed.slice(0, 120)}…` : typed;
  return {
    title: typed ? tr.t('menu.titleUnsure') : tr.t('menu.title'),
    understood: shown ? tr.t('menu.understood', { text: escapeMarkdown(shown) }) : '',
    intro: tr.t('menu.intro'),
    items: MENU.map((m) => ({ text: tr.t('common.bullet', { text: tr.t(`menu.${m.key}Text`) }) })),
    buttons: MENU.map((m) => ({ title: tr.t(`menu.${m.key}Title`), value: m.value })),
  };
}
