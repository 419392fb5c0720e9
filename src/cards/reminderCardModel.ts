import type { ReminderCardMac } from '../compliance/reminderCardMac';
import { formatDay } from './formatDate';
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
}

/**
 * The reminder a person receives: their first name, each Mac that needs them with its state in
 * plain words and numbered steps (only what *they* can do; IT's part is not their homework),
 * the deadline, and "Check again" (the `status.check` verb, the same as typing `status`).
 */
export function reminderCardModel(
  person: { name: string | null },
  macs: readonly ReminderCardMac[],
  deadline: string | null,
  campaignId = '',
): ReminderCardModel {
  const first = person.name?.trim().split(/\s+/)[0];
  const one = macs.length === 1;
  return {
    title: `${first ? `${escapeMarkdown(first)}, your` : 'Your'} ${one ? 'Mac needs' : 'Macs need'} attention`,
    intro: `Your company only lets registered, compliant Macs into Microsoft 365. ${
      one ? 'One of your Macs is' : `${macs.length} of your Macs are`
    } not there yet.`,
    deadline: deadline ? `Please fix it by ${formatDay(deadline)}.` : '',
    macs: macs.map((m) => ({
      name: escapeMarkdown(m.serialNumber ? `${m.name} (${m.serialNumber})` : m.name),
      status: `${m.verdictLabel} — ${m.headline}`,
      steps: (m.steps.length
        ? m.steps
        : [
            {
              label: '',
              fix: 'Open **Self Service** on the Mac and run the registration policy, or contact IT.',
            },
          ]
      ).map((s, i) => ({ number: i + 1, text: s.fix })),
      selfServiceUrl: m.selfServiceUrl ?? '',
    })),
    footer: 'Press **Check again** once you are done, or message me **status** any time.',
    campaignId,
  };
}
