import { stringify } from 'csv-stringify/sync';
import type { CampaignEffectiveness, FunnelPerson } from '../compliance/campaignEffectiveness';
import type { CampaignStore } from '../store/campaignStore';

const PAGE = 1000;

/** A cell that a spreadsheet would run as a formula gets a leading quote (CSV injection). */
const safe = (v: string | null | undefined): string => {
  const s = v ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

const DAY_MS = 86_400_000;

/**
 * Every recipient of a campaign with their state, reason and Macs: the "Export CSV" file. With
 * the campaign's funnel (issue 19), each reminded person's first Check again, when they became
 * compliant and how many days after their reminder (empty: not, or not yet). An `in_doubt` row's
 * reason says why its reminder may or may not have arrived; `resent_at`, when an admin's
 * Resend to in doubt sent it once more (issue 21).
 */
export async function campaignCsv(
  store: Pick<CampaignStore, 'listOutbox'>,
  campaignId: string,
  effectiveness: CampaignEffectiveness | null = null,
): Promise<string> {
  const records: string[][] = [
    [
      'recipient_id',
      'name',
      'upn',
      'macs',
      'state',
      'reason',
      'detail',
      'attempts',
      'updated_at',
      'checked_at',
      'compliant_at',
      'days_to_compliant',
      'resent_at',
    ],
  ];

  let after = -1;
  for (;;) {
    const rows = await store.listOutbox(campaignId, { limit: PAGE, afterSeq: after });
    for (const r of rows) {
      records.push([
        r.recipientId,
        safe(r.recipient.name),
        safe(r.recipient.upn),
        safe(
          r.recipient.macs.map((m) => (m.serialNumber ? `${m.name} (${m.serialNumber})` : m.name)).join('; '),
        ),
        r.state,
        r.reason ?? '',
        safe(r.detail),
        String(r.attempts),
        r.updatedAt,
        ...funnelCells(effectiveness?.people.get(r.recipientId)),
        r.resentAt ?? '',
      ]);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.seq;
  }
  return stringify(records);
}

/** The funnel's columns for one person: first Check again, compliant at, days from the reminder (one decimal). */
function funnelCells(p: FunnelPerson | undefined): string[] {
  if (!p) return ['', '', ''];
  const days = p.compliantAt
    ? ((Date.parse(p.compliantAt) - Date.parse(p.remindedAt)) / DAY_MS).toFixed(1)
    : '';
  return [p.checkedAt ?? '', p.compliantAt ?? '', days];
}
