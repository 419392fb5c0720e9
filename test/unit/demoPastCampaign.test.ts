import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import {
  PAST_CAMPAIGN_ID,
  planPastCampaign,
  seedPastCampaign,
  type FleetPerson,
} from '../../demo/seedPastCampaign';
import { campaignEffectiveness } from '../../src/compliance/campaignEffectiveness';
import type { Verdict } from '../../src/compliance/diagnosisTypes';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

const NOW = new Date('2026-12-07T03:30:00Z');
const HOUR = 3_600_000;

/** The Playground's people as the fleet generator makes them, and a crowd: 8 compliant, 6 not. */
const named: FleetPerson[] = DEMO_PEOPLE.map((p) => ({
  id: p.aadObjectId,
  name: p.name,
  upn: p.upn,
  macs: p.macs
    .filter((m) => m.state !== 'not_applicable')
    .map((m, i) => ({
      jamfId: `${p.surname}-${i}`,
      name: m.name,
      serialNumber: m.serial,
      verdict: m.state as Verdict,
    })),
}));
const crowd = (n: number, verdict: Verdict, prefix: string): FleetPerson[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: `${prefix} ${i}`,
    upn: `${prefix}${i}@example.com`,
    macs: [{ jamfId: `${prefix}-mac-${i}`, name: `Mac ${prefix} ${i}`, serialNumber: null, verdict }],
  }));
const FLEET = [...crowd(8, 'compliant', 'ok'), ...crowd(6, 'not_registered', 'nr'), ...named];

describe('the demo’s past campaign', () => {
  let store: SqliteBotStore;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  /** The funnel as the progress card shows it, read back from the store. */
  const funnel = async () => {
    const e = campaignEffectiveness((await store.campaignEffectivenessInput(PAST_CAMPAIGN_ID))!, NOW);
    return {
      sent: e.sent,
      checked: e.checked,
      reminded: e.reminded,
      baseline: e.baseline,
      provisional: e.provisional,
    };
  };
  /** The known answer: 8 sent, 4 pressed Check again, 2 / 4 / 5 compliant within 1 / 3 / 7 days (median 2 days); baseline 0 / 1 / 2 of 6 (median 78 h). */
  const KNOWN = {
    sent: 8,
    checked: 4,
    reminded: { people: 8, within: { 1: 2, 3: 4, 7: 5 }, compliant: 5, medianMs: 48 * HOUR },
    baseline: { people: 6, within: { 1: 0, 3: 1, 7: 2 }, compliant: 2, medianMs: 78 * HOUR },
    provisional: false,
  };

  it('casts people whose Macs are in the told state today, the named ones first', () => {
    const plan = planPastCampaign(FLEET, NOW, new Set([DEMO_PEOPLE[0]!.aadObjectId]))!;
    expect(plan.startedAt).toBe('2026-11-27T09:00:00.000Z');
    const names = (ps: FleetPerson[]) => ps.map((p) => p.name);
    // Reminded and still not compliant today: Megan, Isaiah, Patti; Lynne is in the baseline.
    expect(names(plan.reminded.slice(5))).toEqual(['Megan Bowen', 'Isaiah Langer', 'Patti Fernandez']);
    expect(names(plan.baseline)).toContain('Lynne Robbins');
    const everyone = [...plan.reminded, ...plan.baseline, plan.skipped, plan.failed];
    expect(new Set(everyone.map((p) => p.id)).size).toBe(everyone.length);
    expect(everyone.map((p) => p.name)).not.toContain('Alex Wilber');
    const compliant = (p: FleetPerson) => p.macs.every((m) => m.verdict === 'compliant');
    const none = (p: FleetPerson) => p.macs.every((m) => m.verdict !== 'compliant');
    expect(plan.reminded.slice(0, 5).every(compliant)).toBe(true);
    expect(plan.reminded.slice(5).every(none)).toBe(true);
    expect(plan.baseline.slice(0, 2).every(compliant)).toBe(true);
    expect(plan.baseline.slice(2).every(none)).toBe(true);
    expect(compliant(plan.skipped) && none(plan.failed)).toBe(true);
  });

  it('a fresh store gets a finished campaign whose funnel is the known one; a second start adds nothing', async () => {
    const people = jest.fn(async () => FLEET);
    expect(await seedPastCampaign({ store, people, now: NOW })).toEqual({
      seeded: true,
      campaignId: PAST_CAMPAIGN_ID,
      startedAt: '2026-11-27T09:00:00.000Z',
    });
    const campaign = (await store.getCampaign(PAST_CAMPAIGN_ID))!;
    expect(campaign).toMatchObject({ state: 'done', audience: 'all', createdAt: '2026-11-27T09:00:00.000Z' });
    expect(campaign.createdBy.name).toBe('Alex Wilber');
    expect(Date.parse(campaign.finishedAt!)).toBeLessThan(Date.parse('2026-11-27T09:05:00Z'));
    expect(await store.campaignCounts(PAST_CAMPAIGN_ID)).toEqual({
      total: 10,
      pending: 0,
      inFlight: 0,
      sent: 8,
      inDoubt: 0,
      inDoubtReasons: {},
      inDoubtResendable: 0,
      failed: { blocked: 1 },
      skipped: { now_compliant: 1 },
    });
    expect(await funnel()).toEqual(KNOWN);

    expect(await seedPastCampaign({ store, people, now: new Date(NOW.getTime() + 86_400_000) })).toEqual({
      seeded: false,
      kept: 'campaigns',
    });
    expect(await store.listCampaigns({ limit: 10 })).toHaveLength(1);
    expect(people).toHaveBeenCalledTimes(1);
  });

  it('the same funnel when the bot’s daily snapshot recorded today’s fleet first', async () => {
    await store.recordComplianceObservations(
      FLEET.flatMap((p) =>
        p.macs.map((m) => ({ jamfId: m.jamfId, userId: p.id, compliant: m.verdict === 'compliant' })),
      ),
      new Date(NOW.getTime() - HOUR).toISOString(),
      { wholeFleet: true },
    );
    await seedPastCampaign({ store, people: async () => FLEET, now: NOW });
    expect(await funnel()).toEqual(KNOWN);
  });

  it('never adds to a store with campaigns, and says so when the fleet is too small', async () => {
    expect(await seedPastCampaign({ store, people: async () => named, now: NOW })).toEqual({
      seeded: false,
      reason: 'the demo fleet has too few people for the past campaign',
    });
    expect(await store.listCampaigns({ limit: 10 })).toEqual([]);
  });

  it('a row that is no longer the seeder’s ends the campaign (nothing left to send) and says why', async () => {
    let first = true;
    const flaky = Object.assign(Object.create(store) as SqliteBotStore, {
      markSending: async (...args: Parameters<SqliteBotStore['markSending']>) => {
        if (!first) return store.markSending(...args);
        first = false;
        return false;
      },
    });
    const result = await seedPastCampaign({ store: flaky, people: async () => FLEET, now: NOW });
    expect(result).toEqual({
      seeded: false,
      reason: expect.stringContaining('was no longer the seeder’s to send'),
    });
    expect(await store.getCampaign(PAST_CAMPAIGN_ID)).toMatchObject({ state: 'done' });
    // Nothing is left for the dispatcher to send, now or once a lease ran out.
    const later = new Date(NOW.getTime() + 86_400_000).toISOString();
    expect(await store.claimOutbox({ owner: 'bot', now: later, leaseUntil: later, limit: 50 })).toEqual([]);
  });

  it('the seeded rows are leased from the real clock, not the campaign’s past', async () => {
    const leases: string[] = [];
    const spying = Object.assign(Object.create(store) as SqliteBotStore, {
      claimOutbox: async (opts: Parameters<SqliteBotStore['claimOutbox']>[0]) => {
        leases.push(opts.leaseUntil);
        return store.claimOutbox(opts);
      },
    });
    await seedPastCampaign({ store: spying, people: async () => FLEET, now: NOW });
    expect(leases.map(Date.parse)).toEqual([NOW.getTime() + 10 * 60_000]);
  });
});
