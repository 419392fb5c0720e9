import type { TextLine } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';

/** What the bot can help an end user with, each with the words that ask for it. */
const MENU: { title: string; value: string; text: string }[] = [
  { title: 'Is my Mac OK?', value: 'status', text: '**Is my Mac OK?** Your Macs, and what to do for each.' },
  {
    title: 'How do I register?',
    value: 'how do I register?',
    text: '**How do I register?** The Self Service steps, and the app not to use.',
  },
  {
    title: 'AccountNotOnboarded',
    value: 'I get AccountNotOnboarded',
    text: '**“AccountNotOnboarded”** or other errors while registering.',
  },
  {
    title: 'My Mac shows N/A',
    value: 'my Mac shows N/A',
    text: '**“N/A” or still not compliant** after an hour: I check what I can and tell you the next step.',
  },
  { title: 'Contact IT', value: 'contact IT', text: '**Contact IT**: I send IT your Mac’s details.' },
];

/** The `endUserMenu` template's model. */
export interface EndUserMenuModel {
  title: string;
  understood: string;
  intro: string;
  items: readonly TextLine[];
  /** imBack buttons: `value` is sent as if typed. */
  buttons: readonly { title: string; value: string }[];
}

/**
 * The end user's menu: what they can ask, as buttons that send the words (imBack). Shown for a
 * message the bot did not understand, so an end user never gets silence or a command list.
 */
export function endUserMenuModel(typed: string | null): EndUserMenuModel {
  const shown = typed && typed.length > 120 ? `${typed.slice(0, 120)}…` : typed;
  return {
    title: typed
      ? 'I am not sure what you mean, but here is what I can help with'
      : 'Here is what I can help with',
    understood: shown ? `You wrote: ${escapeMarkdown(shown)}` : '',
    intro: 'Ask in your own words, or press a button:',
    items: MENU.map((m) => ({ text: m.text })),
    buttons: MENU.map(({ title, value }) => ({ title, value })),
  };
}
