import { stringify } from 'csv-stringify/sync';
import type { CampaignStore } from '../store/campaignStore';

const PAGE = 1000;

/** A cell that a spreadsheet would run as a formula gets a leading quote (CSV injection). */
const safe = (v: string | null | undefined): string => {
  const s = v ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

/** Every recipient of a campaign with their state, reason and Macs: the "Export CSV" file. */
export async function campaignCsv(
  store: Pick<CampaignStore, 'listOutbox'>,
  campaignId: string,
): Promise<string> {
  const records: string[][] = [
    ['recipient_id', 'name', 'upn', 'macs', 'state', 'reason', 'detail', 'attempts', 'updated_at'],
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
      ]);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.seq;
  }
  return stringify(records);
}
