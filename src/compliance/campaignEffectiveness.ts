import { DAY_MS } from './readMacFacts';
import type { OutboxState } from './campaignTypes';

/**
 * Did a reminder campaign work? The figures behind the funnel (sent → checked → compliant) on the
 * campaign's progress card, its line in `campaigns` and the CSV export. Pure: the store hands
 * over what it recorded (`CampaignEffectivenessInput`), this counts.
 *
 * - **Reminded** people: the campaign's recipients whose reminder was sent. Their clock starts
 *   at their reminder (`remindedAt`).
 * - **Checked**: reminded people who pressed their reminder's **Check again** (recorded once).
 * - A person **became compliant** when every Mac the reminder named (that still exists) has
 *   been seen compliant after the clock started; the time is the last of those Macs'. A Mac is
 *   "seen compliant" at the end of a non-compliant spell (`ComplianceSpell.until` with
 *   `ended: 'compliant'`). A person whose Macs all left the fleet did not become compliant.
 * - **Baseline**: people with a Mac not compliant when the campaign started who were not
 *   reminded by it nor by any campaign near it (`remindedNearby`); their clock starts at the
 *   campaign's start, their Macs are the ones not compliant then.
 * - Within 1, 3 and 7 days; the median time to compliance among those who became compliant
 *   within `WINDOW_DAYS` (30).
 */

/** The days the funnel reports. */
export const EFFECTIVENESS_DAYS = [1, 3, 7] as const;
/** Compliance later than this after the clock started is not counted (and the history is kept about as long). */
export const WINDOW_DAYS = 30;
/** Closed spells are kept this long after they ended; older campaigns' figures are not shown. */
export const HISTORY_RETENTION_DAYS = 180;

/**
 * Who is "reminded near" a campaign started at `startedAt` (and so not in its baseline): anyone a
 * campaign reminded from `WINDOW_DAYS` before it to 7 days after it.
 */
export function nearbyReminderWindow(startedAt: string): { from: string; to: string } {
  const start = Date.parse(startedAt);
  return {
    from: new Date(start - WINDOW_DAYS * DAY_MS).toISOString(),
    to: new Date(start + 7 * DAY_MS).toISOString(),
  };
}

/** Whether a campaign is too old for its history to be complete. */
export const historyExpired = (startedAt: string, now: Date): boolean =>
  now.getTime() - Date.parse(startedAt) > (HISTORY_RETENTION_DAYS - WINDOW_DAYS) * DAY_MS;

/** A Mac not compliant from `since` until `until` (null: still not compliant). */
export interface ComplianceSpell {
  jamfId: string;
  /** The Mac's Entra user (object id) when known. */
  userId: string | null;
  since: string;
  until: string | null;
  /** How the spell ended: the Mac was seen compliant, or it left the fleet. */
  ended: 'compliant' | 'gone' | null;
}

/** What a writer saw of one Mac: compliant or not (its verdict), and whose it is. */
export interface ComplianceObservation {
  jamfId: string;
  /** The Mac's Entra user (object id) when known: the baseline is counted per person. */
  userId: string | null;
  compliant: boolean;
  /**
   * The writer saw the Mac turn compliant just now (the fleet's change feed, the thank-you): a
   * spell ending now is recorded even when none was open (history that started after it fell out).
   */
  turnedCompliant?: boolean;
}

/** A press of a reminder's Check again, with what the live re-check then saw of the person's Macs. */
export interface ReminderCheckPress {
  /** The person (Entra object id from the activity). */
  recipientId: string;
  /** From the button's data, when the reminder carries it. */
  campaignId: string | null;
  /** The card the button was on (the reminder's activity id). */
  activityId: string | null;
  at: Date;
  macs: ComplianceObservation[];
}

/** One outbox row of the campaign, as the funnel needs it. */
export interface EffectivenessRecipient {
  recipientId: string;
  state: OutboxState;
  /** When the reminder went (null: not sent). */
  remindedAt: string | null;
  /** The Macs (Jamf ids) the reminder named. */
  macIds: readonly string[];
  /** When they first pressed the reminder's Check again (null: never). */
  checkedAt: string | null;
}

export interface CampaignEffectivenessInput {
  /** The campaign's creation: the baseline's clock starts here. */
  startedAt: string;
  recipients: readonly EffectivenessRecipient[];
  /** The spells of the reminded Macs and the spells open at `startedAt` (others are ignored). */
  spells: readonly ComplianceSpell[];
  /** People any campaign reminded near this one (not part of the baseline). */
  remindedNearby: readonly string[];
}

/** One cohort's outcome. */
export interface CohortOutcome {
  people: number;
  /** People compliant within 1, 3 and 7 days of their clock starting. */
  within: Record<(typeof EFFECTIVENESS_DAYS)[number], number>;
  /** People compliant within `WINDOW_DAYS` (the median is over them). */
  compliant: number;
  /** Median time to compliance in ms among `compliant`; null when nobody. */
  medianMs: number | null;
}

/** One reminded person in the funnel. */
export interface FunnelPerson {
  remindedAt: string;
  checkedAt: string | null;
  /** null: not compliant, or not yet, within the window. */
  compliantAt: string | null;
}

export interface CampaignEffectiveness {
  sent: number;
  checked: number;
  reminded: CohortOutcome;
  baseline: CohortOutcome;
  /** True while the 7-day window of the latest reminder (or the start) is still open: figures may grow. */
  provisional: boolean;
  /** Per reminded person (sent): their reminder, first Check again, and when they became compliant (null: not, or not yet). */
  people: ReadonlyMap<string, FunnelPerson>;
}

const ms = (iso: string) => Date.parse(iso);

/**
 * The first time a Mac was seen compliant at or after `from`, within the window: a number, or
 * 'gone' when the Mac left the fleet (and never became compliant in between), or null.
 */
function macCompliantAt(spells: readonly ComplianceSpell[], from: number): number | 'gone' | null {
  let best: number | null = null;
  let gone = false;
  for (const s of spells) {
    if (s.until === null) continue;
    const end = ms(s.until);
    if (end < from || end - from > WINDOW_DAYS * DAY_MS) continue;
    if (s.ended === 'compliant') best = best === null ? end : Math.min(best, end);
    else if (s.ended === 'gone') gone = true;
  }
  return best ?? (gone ? 'gone' : null);
}

/** When a person became compliant: the last of their Macs' times; null when not (yet). */
function personCompliantAt(
  macIds: readonly string[],
  spellsByMac: ReadonlyMap<string, ComplianceSpell[]>,
  from: number,
): number | null {
  let last: number | null = null;
  let counted = 0;
  for (const id of new Set(macIds)) {
    const at = macCompliantAt(spellsByMac.get(id) ?? [], from);
    if (at === 'gone') continue;
    if (at === null) return null;
    counted++;
    last = last === null ? at : Math.max(last, at);
  }
  return counted ? last : null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function cohort(durations: readonly (number | null)[]): CohortOutcome {
  const done = durations.filter((d): d is number => d !== null);
  const within = (days: number) => done.filter((d) => d <= days * DAY_MS).length;
  return {
    people: durations.length,
    within: { 1: within(1), 3: within(3), 7: within(7) },
    compliant: done.length,
    medianMs: median(done),
  };
}

/** The campaign's funnel and its baseline, as of `now`. */
export function campaignEffectiveness(input: CampaignEffectivenessInput, now: Date): CampaignEffectiveness {
  const spellsByMac = new Map<string, ComplianceSpell[]>();
  for (const s of input.spells) {
    const list = spellsByMac.get(s.jamfId);
    if (list) list.push(s);
    else spellsByMac.set(s.jamfId, [s]);
  }

  const sent = input.recipients.filter((r) => r.state === 'sent' && r.remindedAt !== null);
  const people = new Map<string, FunnelPerson>();
  const remindedDurations = sent.map((r) => {
    const from = ms(r.remindedAt!);
    const at = personCompliantAt(r.macIds, spellsByMac, from);
    people.set(r.recipientId, {
      remindedAt: r.remindedAt!,
      checkedAt: r.checkedAt,
      compliantAt: at === null ? null : new Date(at).toISOString(),
    });
    return at === null ? null : at - from;
  });

  // Baseline: people with a Mac not compliant at the start, reminded by none of the campaigns around it.
  const start = ms(input.startedAt);
  const excluded = new Set(input.remindedNearby);
  for (const r of input.recipients)
    if (r.state === 'sent' || r.state === 'in_doubt') excluded.add(r.recipientId);
  const baselineMacs = new Map<string, Set<string>>();
  for (const s of input.spells) {
    if (!s.userId || excluded.has(s.userId)) continue;
    if (ms(s.since) > start || (s.until !== null && ms(s.until) <= start)) continue;
    const macs = baselineMacs.get(s.userId) ?? new Set<string>();
    macs.add(s.jamfId);
    baselineMacs.set(s.userId, macs);
  }
  const baselineDurations = [...baselineMacs.values()].map((macs) => {
    const at = personCompliantAt([...macs], spellsByMac, start);
    return at === null ? null : at - start;
  });

  const latest = Math.max(start, ...sent.map((r) => ms(r.remindedAt!)));
  return {
    sent: sent.length,
    checked: sent.filter((r) => r.checkedAt !== null).length,
    reminded: cohort(remindedDurations),
    baseline: cohort(baselineDurations),
    provisional: now.getTime() < latest + 7 * DAY_MS,
    people,
  };
}
