import type { ReminderCardMac } from '../compliance/reminderCardMac';
import { formatDay } from './formatDate';
import { ENGLISH, type Translator } from './i18n/translator';
import { plainSteps, plainVerdictTitle } from './plainMacAdvice';
import { escapeMarkdown } from './escapeMarkdown';

/** The `reminderCard` template's model. */
export interface ReminderCardModel {
  title: string;
  intro: string;
  deadline: string;
  macs: readonly {
    name: string;
    status: string;
    steps: readonly { number: number; text: string }[];
    /** "Open in Self Service" (the registration policy), or '' for none. */
    selfServiceUrl: string;
  }[];
  footer: string;
  /** Sent back by Check again, so the press counts for the campaign's funnel ('' when none). */
  campaignId: string;
  whatToDo: string;
  openSelfService: string;
  checkAgain: string;
}

/** How a reminder is written: the reader's language, and the Self Service policy the steps name. */
export interface ReminderWording {
  t?: Translator;
  selfServicePolicyName?: string;
}

/** A Mac's state and steps: from its codes in the reader's language, else the English it was stored with. */
function macWords(m: ReminderCardMac, tr: Translator, policy: string): { status: string; steps: string[] } {
  if (m.verdict && m.reasons) {
    return { status: plainVerdictTitle(m.verdict, tr), steps: plainSteps(m.reasons, policy, tr).steps };
  }
  return { status: `${m.verdictLabel} — ${m.headline}`, steps: m.steps.map((s) => s.fix) };
}

/**
 * The reminder a person receives, in their language (`wording.t`): their first name, each Mac
 * that needs them with its state in plain words and numbered steps (only what *they* can do;
 * IT's part is not their homework), the deadline, and "Check again" (the `status.check` verb,
 * the same as typing `status`).
 */
export function reminderCardModel(
  person: { name: string | null },
  macs: readonly ReminderCardMac[],
  deadline: string | null,
  campaignId = '',
  wording: ReminderWording = {},
): ReminderCardModel {
  const tr = wording.t ?? ENGLISH;
  const policy = escapeMarkdown(wording.selfServicePolicyName ?? 'Register with Microsoft Entra ID');
  const first = person.name?.trim().split(/\s+/)[0];
  const count = macs.length;
  return {
    title: first
      ? tr.t('reminder.titleNamed', { count, name: escapeMarkdown(first) })
      : tr.t('reminder.title', { count }),
    intro: tr.t('reminder.intro', { count }),
    deadline: deadline ? tr.t('reminder.deadline', { date: formatDay(deadline, tr) }) : '',
    macs: macs.map((m) => {
      const words = macWords(m, tr, policy);
      return {
        name: escapeMarkdown(m.serialNumber ? `${m.name} (${m.serialNumber})` : m.name),
        status: words.status,
        steps: (words.steps.length ? words.steps : [tr.t('reminder.defaultStep')]).map((text, i) => ({
          number: i + 1,
          text,
        })),
        selfServiceUrl: m.selfServiceUrl ?? '',
      };
    }),
    footer: tr.t('reminder.footer'),
    campaignId,
    whatToDo: tr.t('common.whatToDo'),
    openSelfService: tr.t('reminder.openSelfService'),
    checkAgain: tr.t('common.checkAgain'),
  };
}
