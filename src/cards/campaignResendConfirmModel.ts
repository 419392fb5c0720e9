import type { OutboxRow } from '../compliance/campaignTypes';
import type { Fact } from './cardParts';
import { OUTCOME_REASON_LABELS } from './campaignCardModels';
import { escapeMarkdown } from './escapeMarkdown';

/** The `campaignResendConfirm` template's model: the confirm step of **Resend to in doubt**. */
export interface CampaignResendConfirmModel {
  title: string;
  warning: string;
  facts: readonly Fact[];
  sample: string;
  note: string;
  canConfirm: boolean;
  confirmTitle: string;
  campaignId: string;
  /** Only rows in doubt by this instant are resent: exactly the ones counted here. */
  asOf: string;
}

const SAMPLE = 10;
const n = (v: number) => v.toLocaleString('en-US');

/**
 * What **Resend to in doubt** would do, before it does it: these people may already have the
 * reminder and will get it again. `rows` are the campaign's in-doubt rows never resent before.
 */
export function campaignResendConfirmModel(
  campaignId: string,
  rows: readonly Pick<OutboxRow, 'recipient' | 'reason'>[],
  asOf: Date,
): CampaignResendConfirmModel {
  const people = rows.length;
  const byReason = new Map<string, number>();
  for (const r of rows) byReason.set(r.reason ?? 'unknown', (byReason.get(r.reason ?? 'unknown') ?? 0) + 1);
  const names = rows
    .slice(0, SAMPLE)
    .map((r) => escapeMarkdown(r.recipient.name ?? r.recipient.upn ?? r.recipient.recipientId));
  const them = people === 1 ? 'This person' : `These ${n(people)} people`;
  return {
    title: people ? `Resend to ${n(people)} in doubt?` : 'Nothing in doubt to resend',
    warning: people
      ? `${them} may already have the reminder; they will get it again.`
      : 'Every reminder in doubt was already resent once, or none is left.',
    facts: [...byReason]
      .sort(([, a], [, b]) => b - a)
      .map(([reason, count]) => ({ title: OUTCOME_REASON_LABELS[reason] ?? reason, value: n(count) })),
    sample: names.length
      ? `${names.join(', ')}${people > names.length ? ` and ${n(people - names.length)} more` : ''}`
      : '',
    note: 'Each person is checked again first: anyone compliant by then is skipped. A reminder is resent once at most: if its answer is lost again, it stays in doubt.',
    canConfirm: people > 0,
    confirmTitle: `Resend to ${n(people)} ${people === 1 ? 'person' : 'people'}`,
    campaignId,
    asOf: asOf.toISOString(),
  };
}
