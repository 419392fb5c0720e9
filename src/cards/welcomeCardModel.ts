import type { TextLine } from './cardParts';
import { formatDay } from './formatDate';
import { ENGLISH, type Translator } from './i18n/translator';
import { companyPortalWarning, registrationSteps } from './plainMacAdvice';
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
  /** imBack buttons: the words shown, and the command sent (the registry understands it). */
  buttons: readonly { title: string; value: string }[];
}

/**
 * The welcome card on a personal install: what is happening and why, the deadline, the one right
 * way to register (the Self Service policy) and the wrong one (Company Portal), in the reader's
 * language (`t`). Pure.
 */
export function welcomeCardModel(opts: {
  givenName: string | null;
  deadline: string | null;
  selfServicePolicyName: string;
  isAdmin: boolean;
  t?: Translator;
}): WelcomeCardModel {
  const tr = opts.t ?? ENGLISH;
  const deadline = opts.deadline ? formatDay(opts.deadline, tr) : null;
  const name = opts.givenName?.trim();
  return {
    title: name ? tr.t('welcome.titleNamed', { name: escapeMarkdown(name) }) : tr.t('welcome.title'),
    what: tr.t('welcome.what'),
    why: tr.t('welcome.why'),
    deadline: deadline ? tr.t('welcome.deadline', { date: deadline }) : tr.t('welcome.deadlineSoon'),
    howTitle: tr.t('welcome.howTitle'),
    steps: registrationSteps(escapeMarkdown(opts.selfServicePolicyName), tr).map((text, i) => ({
      text: tr.t('common.numbered', { number: i + 1, text }),
    })),
    warning: companyPortalWarning(tr),
    footer: opts.isAdmin ? tr.t('welcome.footerAdmin') : tr.t('welcome.footer'),
    buttons: [
      { title: tr.t('welcome.buttonStatus'), value: 'status' },
      { title: tr.t('welcome.buttonRegister'), value: 'how do I register?' },
    ],
  };
}
