import type {
  CampaignEffectivenessInput,
  ComplianceSpell,
  EffectivenessRecipient,
} from '../compliance/campaignEffectiveness';
import type { OutboxRow, OutboxState } from '../compliance/campaignTypes';
import { iso, json, type Instant, type Json } from './rowMappers';

/** A `compliance_spells` row (both databases). */
export interface SpellRow {
  jamf_id: string;
  user_id: string | null;
  since: Instant;
  until: Instant | null;
  ended: 'compliant' | 'gone' | null;
}

export const toSpell = (r: SpellRow): ComplianceSpell => ({
  jamfId: r.jamf_id,
  userId: r.user_id,
  since: iso(r.since),
  until: r.until === null ? null : iso(r.until),
  ended: r.ended,
});

/** One outbox row with its reminder time and first Check again (the funnel's recipients query). */
export interface FunnelRecipientRow {
  recipient_id: string;
  state: OutboxState;
  recipient: Json<OutboxRow['recipient']>;
  reminded_at: Instant | null;
  checked_at: Instant | null;
}

export const toFunnelRecipient = (r: FunnelRecipientRow): EffectivenessRecipient => ({
  recipientId: r.recipient_id,
  state: r.state,
  remindedAt: r.state === 'sent' && r.reminded_at !== null ? iso(r.reminded_at) : null,
  macIds: json(r.recipient).macs.map((m) => m.computerId),
  checkedAt: r.checked_at === null ? null : iso(r.checked_at),
});

/** The Jamf ids the sent reminders named (their spells are read). */
export const remindedMacIds = (recipients: readonly EffectivenessRecipient[]): string[] => [
  ...new Set(recipients.filter((r) => r.remindedAt !== null).flatMap((r) => r.macIds)),
];

export const effectivenessInput = (
  startedAt: string,
  recipients: EffectivenessRecipient[],
  spells: SpellRow[],
  nearby: { recipient_id: string }[],
): CampaignEffectivenessInput => ({
  startedAt,
  recipients,
  spells: spells.map(toSpell),
  remindedNearby: nearby.map((r) => r.recipient_id),
});
