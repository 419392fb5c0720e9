import type { TextLine } from './cardParts';
import { formatDay } from './formatDate';
import { COMPANY_PORTAL_WARNING, registrationSteps } from './plainMacAdvice';
import { escapeMarkdown } from './escapeMarkdown';

/** The `welcome` template's model. */
export interface WelcomeCardModel {
  title: string;
  what: string;
  why: string;
  deadline: string;
  howTitle: string;
  steps: readonly TextLine[];
  warning: string;
  footer: string;
}

/**
 * The welcome card on a personal install: what is happening and why, the deadline, the one right
 * way to register (the Self Service policy) and the wrong one (Company Portal). Pure.
 */
export function welcomeCardModel(opts: {
  givenName: string | null;
  deadline: string | null;
  selfServicePolicyName: string;
  isAdmin: boolean;
}): WelcomeCardModel {
  const deadline = opts.deadline ? formatDay(opts.deadline) : null;
  const name = opts.givenName?.trim();
  return {
    title: name ? `Hi ${escapeMarkdown(name)}, let’s get your Mac ready` : 'Hi, let’s get your Mac ready',
    what: 'Your organisation is starting to let only registered, secure Macs sign in to Microsoft 365 (Outlook, Teams, OneDrive and the rest). I help you get your Mac there and tell you when it is done.',
    why: 'Why: it keeps work data on Macs IT knows are protected (disk encryption on, recently checked).',
    deadline: deadline
      ? `Please register your Mac by **${deadline}**.`
      : 'Please register your Mac soon: IT will announce the date.',
    howTitle: 'How to register (about 5 minutes)',
    steps: registrationSteps(escapeMarkdown(opts.selfServicePolicyName)).map((text, i) => ({
      text: `${i + 1}. ${text}`,
    })),
    warning: COMPANY_PORTAL_WARNING,
    footer: opts.isAdmin
      ? 'Ask me anything about your Mac in your own words. As an IT admin you also have the admin commands: type **help**.'
      : 'Ask me anything about your Mac in your own words, or type **help**.',
  };
}
