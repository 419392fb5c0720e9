import { AUDIENCE_VERDICTS } from '../src/broadcasts/selectAudience';
import type { ComplianceObservation } from '../src/compliance/campaignEffectiveness';
import type {
  CampaignActor,
  CampaignRecipient,
  OutboxOutcome,
  ReminderMac,
} from '../src/compliance/campaignTypes';
import type { Verdict } from '../src/compliance/diagnosisTypes';
import type { DiagnosedFleet } from '../src/lookup/diagnoseFleetSnapshot';
import type { BotStore } from '../src/store/botStore';
import { DEMO_PEOPLE } from './demoIdentities';
import { personalChatIds } from './personalChatIds';

/** The demo's past campaign: a fixed id, so a test and the log can name it. */
export const PAST_CAMPAIGN_ID = 'c-de300019';
/** It started this many days before the demo's first start (its 7-day window long closed). */
export const PAST_CAMPAIGN_DAYS_AGO = 10;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const OWNER = 'demo-past-campaign';

/**
 * The reminded people's stories: hours after their reminder they pressed Check again, and
 * became compliant (null: never). Two within a day, four within three, five within seven (the
 * median: 2 days), three still not compliant today; four pressed Check again, one of them at
 * the moment the Mac turned compliant (the press's re-check saw it).
 */
const REMINDED: readonly { checkedAfterH: number | null; compliantAfterH: number | null }[] = [
  { checkedAfterH: 2, compliantAfterH: 3 },
  { checkedAfterH: 20, compliantAfterH: 20 },
  { checkedAfterH: 1, compliantAfterH: 48 },
  { checkedAfterH: null, compliantAfterH: 60 },
  { checkedAfterH: null, compliantAfterH: 144 },
  { checkedAfterH: 24, compliantAfterH: null },
  { checkedAfterH: null, compliantAfterH: null },
  { checkedAfterH: null, compliantAfterH: null },
];
/** People not reminded (the baseline): hours after the campaign's start they became compliant. */
const BASELINE: readonly (number | null)[] = [36, 120, null, null, null, null];

/** One person of today's fleet with their applicable Macs, as the bot diagnoses them now. */
export interface FleetPerson {
  id: string;
  name: string | null;
  upn: string;
  macs: { jamfId: string; name: string; serialNumber: string | null; verdict: Verdict }[];
}

/** The fleet's people (Entra users with applicable Macs), from the bot's diagnosis. Pure. */
export function fleetPeople(fleet: Pick<DiagnosedFleet, 'records' | 'verdicts'>): FleetPerson[] {
  const byId = new Map<string, FleetPerson>();
  fleet.records.forEach((r, i) => {
    const verdict = fleet.verdicts[i];
    if (!r.user || !verdict || verdict === 'not_applicable') return;
    let person = byId.get(r.user.id);
    if (!person) {
      person = {
        id: r.user.id,
        name: r.user.displayName ?? r.jamf.realName,
        upn: r.user.userPrincipalName,
        macs: [],
      };
      byId.set(r.user.id, person);
    }
    person.macs.push({ jamfId: r.jamf.id, name: r.jamf.name, serialNumber: r.jamf.serialNumber, verdict });
  });
  return [...byId.values()];
}

/** Who plays which part, and when; built from today's fleet so every state told is true today. */
export interface PastCampaignPlan {
  startedAt: string;
  /** The reminded (sent) people, in `REMINDED` order. */
  reminded: FleetPerson[];
  /** A reminder skipped (the person was compliant by then) and one Teams refused (blocked). */
  skipped: FleetPerson;
  failed: FleetPerson;
  baseline: FleetPerson[];
}

const remindable = new Set<Verdict>(AUDIENCE_VERDICTS.all);
const allCompliant = (p: FleetPerson) => p.macs.every((m) => m.verdict === 'compliant');
const noneCompliant = (p: FleetPerson) => p.macs.every((m) => m.verdict !== 'compliant');

/**
 * Casts the story on today's fleet: those who became compliant have only compliant Macs today,
 * those who never did have none; the still-not-compliant reminded people have a Mac a reminder
 * is about (`remind send all`). The Playground's named people come first (Megan, Isaiah and
 * Patti were reminded and did nothing; Lynne is in the baseline), then the others by id. Null
 * when the fleet has too few people. `exclude`: people left out (the Playground's own user,
 * whose Mac the story fixes). Pure, deterministic.
 */
export function planPastCampaign(
  people: readonly FleetPerson[],
  now: Date,
  exclude: ReadonlySet<string> = new Set(),
): PastCampaignPlan | null {
  const named = new Map(DEMO_PEOPLE.map((p, i) => [p.aadObjectId.toLowerCase(), i]));
  const rank = (p: FleetPerson) => named.get(p.id.toLowerCase()) ?? named.size;
  const pool = people
    .filter((p) => p.macs.length > 0 && !exclude.has(p.id))
    .sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  const taken = new Set<string>();
  const take = (n: number, fits: (p: FleetPerson) => boolean): FleetPerson[] | null => {
    const out = pool.filter((p) => !taken.has(p.id) && fits(p)).slice(0, n);
    if (out.length < n) return null;
    for (const p of out) taken.add(p.id);
    return out;
  };
  const wonOver = REMINDED.filter((r) => r.compliantAfterH !== null).length;
  const stillOpen = REMINDED.length - wonOver;
  const remindedOpen = take(
    stillOpen,
    (p) => noneCompliant(p) && p.macs.some((m) => remindable.has(m.verdict)),
  );
  const failed = take(1, (p) => noneCompliant(p) && p.macs.some((m) => remindable.has(m.verdict)));
  const baselineOpen = take(BASELINE.filter((b) => b === null).length, noneCompliant);
  const remindedWon = take(wonOver, allCompliant);
  const baselineWon = take(BASELINE.length - (baselineOpen?.length ?? 0), allCompliant);
  const skipped = take(1, allCompliant);
  if (!remindedOpen || !failed || !baselineOpen || !remindedWon || !baselineWon || !skipped) return null;

  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const startedAt = new Date(dayStart - PAST_CAMPAIGN_DAYS_AGO * DAY_MS + 9 * HOUR_MS).toISOString();
  let won = 0;
  let open = 0;
  const reminded = REMINDED.map((r) =>
    r.compliantAfterH !== null ? remindedWon[won++]! : remindedOpen[open++]!,
  );
  won = 0;
  open = 0;
  const baseline = BASELINE.map((b) => (b !== null ? baselineWon[won++]! : baselineOpen[open++]!));
  return { startedAt, reminded, skipped: skipped[0]!, failed: failed[0]!, baseline };
}

/** What seeding did. */
export type SeededCampaign =
  | { seeded: true; campaignId: string; startedAt: string }
  | { seeded: false; kept: 'campaigns' }
  | { seeded: false; reason: string };

export type PastCampaignStore = Pick<
  BotStore,
  | 'listCampaigns'
  | 'createCampaign'
  | 'claimOutbox'
  | 'reserveReminder'
  | 'releaseReminder'
  | 'markSending'
  | 'finishOutbox'
  | 'completeCampaignIfDrained'
  | 'recordComplianceObservations'
  | 'recordReminderCheck'
>;

/** The reminder's Macs: the ones a reminder is about; those compliant today were not then. */
function reminderMacs(p: FleetPerson): ReminderMac[] {
  const macs = allCompliant(p) ? p.macs : p.macs.filter((m) => remindable.has(m.verdict));
  return macs.map((m) => ({
    computerId: m.jamfId,
    name: m.name,
    serialNumber: m.serialNumber,
    verdict: m.verdict === 'compliant' ? 'not_registered' : m.verdict,
  }));
}

const recipientOf = (p: FleetPerson): CampaignRecipient => ({
  recipientId: p.id,
  name: p.name,
  upn: p.upn,
  macs: reminderMacs(p),
});

/**
 * Gives a fresh demo store a finished campaign from ten days ago with outcomes, so the funnel
 * (sent → checked → compliant, the 1/3/7-day figures, the median and the baseline) shows on the
 * first `npm start`. Written through the store's own calls in the order the bot makes them —
 * the history of each Mac not compliant, the campaign, its outbox claimed, sent and drained, the
 * Check again presses and the Macs turning compliant — each at its past time. Only when the store
 * has no campaign at all: a restart, or real campaigns, are never added to. The creator is the
 * Playground's admin (Alex), who is also left out of the story.
 */
export async function seedPastCampaign(deps: {
  store: PastCampaignStore;
  /** Today's fleet, as the bot diagnoses it (read only when seeding). */
  people: () => Promise<FleetPerson[]>;
  now: Date;
}): Promise<SeededCampaign> {
  const { store } = deps;
  if ((await store.listCampaigns({ limit: 1 })).length > 0) return { seeded: false, kept: 'campaigns' };
  const creator = DEMO_PEOPLE[0]!;
  const plan = planPastCampaign(await deps.people(), deps.now, new Set([creator.aadObjectId]));
  if (!plan) return { seeded: false, reason: 'the demo fleet has too few people for the past campaign' };
  const start = Date.parse(plan.startedAt);
  const at = (ms: number) => new Date(ms).toISOString();
  const seen = (p: FleetPerson, macs: readonly string[], compliant: boolean): ComplianceObservation[] =>
    macs.map((jamfId) => ({ jamfId, userId: p.id, compliant }));
  const macIds = (p: FleetPerson) => p.macs.map((m) => m.jamfId);
  const remindedMacIds = (p: FleetPerson) => reminderMacs(p).map((m) => m.computerId);

  // The daily snapshot four days before saw every Mac of the story not compliant.
  const history = [...plan.reminded, ...plan.baseline];
  await store.recordComplianceObservations(
    history.flatMap((p) => seen(p, macIds(p), false)),
    at(start - 4 * DAY_MS - 3 * HOUR_MS),
    { backfill: true },
  );

  const actor: CampaignActor = {
    teamsUserId: creator.teamsId,
    aadObjectId: creator.aadObjectId,
    name: creator.name,
  };
  const outbox = [...plan.reminded, plan.skipped, plan.failed];
  await store.createCampaign({
    id: PAST_CAMPAIGN_ID,
    createdAt: plan.startedAt,
    createdBy: actor,
    audience: 'all',
    groupName: null,
    deadline: at(start + 7 * DAY_MS).slice(0, 10),
    scheduleId: null,
    recipients: outbox.map(recipientOf),
  });
  const claimedAt = start + 30_000;
  // The rows carry the past times, but their lease is from the real clock: a lease that ran out
  // ten days ago would let the bot's own dispatcher take a row (and send it) mid-seed.
  const rows = await store.claimOutbox({
    owner: OWNER,
    now: at(claimedAt),
    leaseUntil: at(deps.now.getTime() + 10 * 60_000),
    limit: outbox.length,
  });
  const held = new Set(rows.map((r) => r.recipientId));
  /**
   * A row was not ours after all: the rows still held end skipped (cancelled), the campaign is
   * done, so nothing of the story is ever sent; the reason is the caller's to log.
   */
  const abandon = async (reason: string): Promise<SeededCampaign> => {
    const when = at(Math.max(clock, claimedAt) + 1_000);
    for (const id of held)
      await store.finishOutbox(PAST_CAMPAIGN_ID, id, OWNER, { state: 'skipped', reason: 'cancelled' }, when);
    await store.completeCampaignIfDrained(PAST_CAMPAIGN_ID, when);
    return { seeded: false, reason: `${reason}; the past campaign was ended without its story` };
  };
  let clock = claimedAt;
  if (rows.length !== outbox.length)
    return abandon(`the bot claimed ${outbox.length - rows.length} of its rows first`);

  const remindedAt = new Map<string, number>();
  for (const p of outbox) {
    clock += 3_000;
    const id = p.id;
    let outcome: OutboxOutcome;
    if (p === plan.skipped) outcome = { state: 'skipped', reason: 'now_compliant' };
    else {
      await store.reserveReminder(id, PAST_CAMPAIGN_ID, at(clock), at(clock));
      if (!(await store.markSending(PAST_CAMPAIGN_ID, id, OWNER, at(clock)))) {
        // Tried with the others (a finish of a row another owner holds changes nothing).
        await store.releaseReminder(id, PAST_CAMPAIGN_ID);
        return abandon(`its outbox row for ${p.name} was no longer the seeder’s to send`);
      }
      clock += 1_000;
      outcome =
        p === plan.failed
          ? { state: 'failed', reason: 'blocked' }
          : { state: 'sent', conversationId: personalChatIds.conversationId(id), activityId: null };
    }
    held.delete(id);
    if (!(await store.finishOutbox(PAST_CAMPAIGN_ID, id, OWNER, outcome, at(clock)))) {
      if (outcome.state !== 'skipped') await store.releaseReminder(id, PAST_CAMPAIGN_ID);
      return abandon(`its outbox row for ${p.name} could not be finished (no longer the seeder’s)`);
    }
    if (outcome.state === 'failed') await store.releaseReminder(id, PAST_CAMPAIGN_ID);
    if (outcome.state === 'sent') remindedAt.set(id, clock);
  }
  await store.completeCampaignIfDrained(PAST_CAMPAIGN_ID, at(clock + 1_000));

  // What happened next, in time order: Check again presses (with what their re-check saw) and
  // Macs turning compliant (the change feed, the daily snapshot).
  type Event = { at: number; run: () => Promise<unknown> };
  const events: Event[] = [];
  plan.reminded.forEach((p, i) => {
    const story = REMINDED[i]!;
    const from = remindedAt.get(p.id)!;
    const compliantAt = story.compliantAfterH === null ? null : from + story.compliantAfterH * HOUR_MS;
    if (compliantAt !== null)
      events.push({
        at: compliantAt,
        run: () => store.recordComplianceObservations(seen(p, macIds(p), true), at(compliantAt)),
      });
    if (story.checkedAfterH !== null) {
      const pressed = from + story.checkedAfterH * HOUR_MS;
      const compliant = compliantAt !== null && pressed >= compliantAt;
      events.push({
        at: pressed,
        run: async () => {
          await store.recordComplianceObservations(seen(p, remindedMacIds(p), compliant), at(pressed));
          await store.recordReminderCheck(p.id, { campaignId: PAST_CAMPAIGN_ID }, at(pressed));
        },
      });
    }
  });
  plan.baseline.forEach((p, i) => {
    const after = BASELINE[i];
    if (after === null || after === undefined) return;
    const when = start + after * HOUR_MS;
    events.push({
      at: when,
      run: () => store.recordComplianceObservations(seen(p, macIds(p), true), at(when)),
    });
  });
  events.sort((a, b) => a.at - b.at);
  for (const e of events) await e.run();
  return { seeded: true, campaignId: PAST_CAMPAIGN_ID, startedAt: plan.startedAt };
}
