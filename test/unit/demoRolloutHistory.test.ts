import { DEMO_HISTORY_DAYS, demoRolloutHistory, seedRolloutHistory } from '../../demo/seedRolloutHistory';
import { forecastRollout } from '../../src/compliance/forecastRollout';
import type { RolloutSnapshot } from '../../src/compliance/rolloutSnapshotTypes';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

const NOW = new Date('2026-12-07T09:30:00Z');

/** Today's figures as the bot counts them: 420 applicable, 300 compliant (71.4 %). */
const TODAY: RolloutSnapshot = {
  day: '2026-12-07',
  takenAt: NOW.toISOString(),
  total: 500,
  applicable: 420,
  byVerdict: {
    compliant: 300,
    waiting_first_report: 5,
    out_of_sync: 10,
    not_compliant: 40,
    not_registered: 50,
    stale: 15,
    not_applicable: 80,
  },
  percentCompliant: 71.4,
  topReasons: [
    { code: 'no_entra_device', label: 'Not registered with Entra ID', count: 50 },
    { code: 'filevault_incomplete', label: 'FileVault not on for all disks', count: 30 },
  ],
};

describe('the demo rollout history', () => {
  it('four weeks ending the day before today, rising to today’s figures, whole Macs every day', () => {
    const history = demoRolloutHistory(TODAY);
    expect(history).toHaveLength(DEMO_HISTORY_DAYS - 1);
    expect(history[0]!.day).toBe('2026-11-10');
    expect(history[history.length - 1]!.day).toBe('2026-12-06');
    expect(history.every((s) => s.takenAt === `${s.day}T06:00:00.000Z`)).toBe(true);
    // From 60 % of today's share, never falling, and short of today's the day before.
    expect(history[0]!.percentCompliant).toBeCloseTo(71.4 * 0.6, 0);
    const percents = [...history.map((s) => s.percentCompliant), TODAY.percentCompliant];
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    for (const s of history) {
      const sum = Object.values(s.byVerdict).reduce((a, b) => a + b, 0);
      expect(sum).toBe(TODAY.total);
      expect(s.applicable).toBe(TODAY.applicable);
      expect(s.percentCompliant).toBe(Math.round((s.byVerdict.compliant! / s.applicable) * 1000) / 10);
      // The Macs not yet compliant are mostly not registered; not applicable is untouched.
      expect(s.byVerdict.not_registered!).toBeGreaterThanOrEqual(TODAY.byVerdict.not_registered!);
      expect(s.byVerdict.not_applicable).toBe(80);
      expect(s.topReasons[0]!.count).toBeGreaterThanOrEqual(50);
    }
  });

  it('is deterministic for a seed, and different for another', () => {
    expect(demoRolloutHistory(TODAY)).toEqual(demoRolloutHistory(TODAY));
    expect(demoRolloutHistory(TODAY, { seed: 7 })).not.toEqual(demoRolloutHistory(TODAY));
  });

  it('gives the forecast a date on the first start', () => {
    const history = [...demoRolloutHistory(TODAY), TODAY];
    const f = forecastRollout({ history, today: TODAY.day, targetPercent: 95, deadline: null });
    expect(f.kind).toBe('date');
  });
});

describe('seeding the demo store', () => {
  let store: SqliteBotStore;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });
  const all = () => store.listSnapshots({ toDay: '2026-12-31', limit: 1000 });

  it('a fresh store gets the history through saveSnapshot; a second start adds nothing and changes nothing', async () => {
    const today = jest.fn(async () => TODAY);
    expect(await seedRolloutHistory({ store, now: NOW, today })).toEqual({ seeded: DEMO_HISTORY_DAYS - 1 });
    const first = await all();
    expect(first).toHaveLength(DEMO_HISTORY_DAYS - 1);
    expect(first).toEqual(demoRolloutHistory(TODAY));
    // Today's own snapshot is the bot's to take.
    expect(await store.getSnapshot(TODAY.day)).toBeNull();

    // The next start (same day, or a later one): the history is there, kept as it is.
    const other = { ...TODAY, percentCompliant: 20, byVerdict: { ...TODAY.byVerdict, compliant: 84 } };
    expect(await seedRolloutHistory({ store, now: NOW, today: async () => other })).toEqual({
      seeded: 0,
      kept: 'history',
    });
    const tomorrow = new Date(NOW.getTime() + 86_400_000);
    expect(await seedRolloutHistory({ store, now: tomorrow, today: async () => other })).toMatchObject({
      seeded: 0,
    });
    expect(await all()).toEqual(first);
    expect(today).toHaveBeenCalledTimes(1);
  });

  it('never touches a store with real history', async () => {
    const real = { ...TODAY, day: '2026-12-01', takenAt: '2026-12-01T06:00:00.000Z', percentCompliant: 12.3 };
    await store.saveSnapshot(real);
    expect(await seedRolloutHistory({ store, now: NOW, today: async () => TODAY })).toEqual({
      seeded: 0,
      kept: 'history',
    });
    expect(await all()).toEqual([real]);
  });

  it('a store with only today’s snapshot (rollout asked first) gets the history before it', async () => {
    await store.saveSnapshot(TODAY);
    expect(await seedRolloutHistory({ store, now: NOW, today: async () => TODAY })).toEqual({
      seeded: DEMO_HISTORY_DAYS - 1,
    });
    const stored = await all();
    expect(stored).toHaveLength(DEMO_HISTORY_DAYS);
    expect(stored[stored.length - 1]).toEqual(TODAY);
  });
});
