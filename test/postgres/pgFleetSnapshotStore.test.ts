import type { FleetMacRow, FleetSnapshotMeta } from '../../src/compliance/fleetSnapshotTypes';
import type { PgBotStore } from '../../src/store/pgBotStore';
import {
  byId,
  byJamfId,
  computerItem,
  fleetBuild,
  fleetMac,
  fleetMeta,
  timed,
} from '../store/fleetSnapshotFixtures';
import { describeFleetSnapshotStoreConformance } from '../store/fleetSnapshotStoreConformance';
import { freshSchema, openTestStore, testDatabaseUrl } from './pgTestDatabase';

// Fails the whole file at once when there is no server to test against.
testDatabaseUrl();

describeFleetSnapshotStoreConformance('PgBotStore', () => openTestStore());

/** Two stores (two pools, as two instances) on one fresh schema. */
async function twoInstances(): Promise<[PgBotStore, PgBotStore]> {
  const schema = await freshSchema();
  const a = await openTestStore({ schema });
  return [a, await openTestStore({ schema })];
}

/** Every row's marker (the user's display name ends with it) is the meta's `notApplicable`. */
function consistent(meta: FleetSnapshotMeta | null, rows: Iterable<FleetMacRow>): boolean {
  for (const r of rows)
    if (!r.record.user?.displayName?.endsWith(`(marker ${meta?.notApplicable})`)) return false;
  return true;
}

describe('PgBotStore fleet snapshot across instances', () => {
  it('keeps a build in progress across a restart (another pool), which then continues and publishes', async () => {
    const schema = await freshSchema();
    const first = await openTestStore({ schema });
    await first.beginFleetBuild(fleetBuild());
    const halfway = fleetBuild({
      progress: { macsRead: 1, macsTotal: 2, phase: 'computers' },
      cursors: { page: 1 },
    });
    await first.stageFleetItems([computerItem('1')], halfway);
    await first.close();

    const again = await openTestStore({ schema });
    expect(await again.getFleetBuild()).toEqual(halfway);
    expect(await again.readStagedFleetItems('computer')).toEqual([computerItem('1')]);
    await again.stageFleetItems([computerItem('2')], fleetBuild());
    expect((await again.publishFleetBuild([fleetMac('1'), fleetMac('2')], fleetMeta('e1'))).version).toBe(1);
    expect(byId(await again.readFleetSources('computer'))).toEqual([computerItem('1'), computerItem('2')]);
    await again.close();
  });

  it('two instances racing for the lease: exactly one gets it, every round', async () => {
    const [a, b] = await twoInstances();
    try {
      const now = new Date('2026-11-20T08:00:00.000Z');
      for (let round = 0; round < 20; round++) {
        const at = new Date(now.getTime() + round * 120_000);
        const got = await Promise.all([
          a.acquireFleetSyncLease('a', 60_000, at),
          b.acquireFleetSyncLease('b', 60_000, at),
          a.acquireFleetSyncLease('a', 60_000, at),
          b.acquireFleetSyncLease('b', 60_000, at),
        ]);
        // Each instance may renew its own; never both instances.
        const holders = new Set(got.map((ok, i) => (ok ? (i % 2 === 0 ? 'a' : 'b') : null)).filter(Boolean));
        expect(holders.size).toBe(1);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a reader on another instance always sees meta and rows of one state while changes and publishes run', async () => {
    const [writer, reader] = await twoInstances();
    try {
      const ids = Array.from({ length: 300 }, (_, i) => String(i + 1));
      const publish = (marker: number) =>
        writer.publishFleetBuild(
          ids.map((id) => fleetMac(id, marker)),
          fleetMeta(`e${marker}`, { notApplicable: marker }),
        );
      await writer.beginFleetBuild(fleetBuild());
      await publish(0);

      let done = false;
      const writes = (async () => {
        try {
          for (let marker = 1; marker <= 30; marker++) {
            if (marker % 10 === 0) await publish(marker);
            else
              await writer.applyFleetChanges({
                upsertSources: [],
                removeSources: [],
                upsertMacs: ids.map((id) => fleetMac(id, marker)),
                removeMacs: [],
                meta: fleetMeta(`e${marker - (marker % 10)}`, { notApplicable: marker }),
              });
          }
        } finally {
          done = true;
        }
      })();

      // Full reads and incremental ones (a local copy kept up to date by `since`).
      let fullReads = 0;
      let local = new Map<string, FleetMacRow>();
      let since: { epoch: string; version: number } | null = null;
      while (!done) {
        const full = await reader.readFleetMacs(null);
        expect(consistent(full.meta, full.rows)).toBe(true);
        fullReads++;
        const delta = await reader.readFleetMacs(since);
        if (delta.full) local = new Map();
        for (const r of delta.rows) local.set(r.jamfId, r);
        for (const id of delta.removed) local.delete(id);
        expect(local.size).toBe(ids.length);
        expect(consistent(delta.meta, local.values())).toBe(true);
        since = delta.meta && { epoch: delta.meta.epoch, version: delta.meta.version };
      }
      await writes;
      expect(fullReads).toBeGreaterThan(1);
      expect(await reader.getFleetSnapshotMeta()).toMatchObject({ epoch: 'e30', notApplicable: 30 });
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('changes from two instances at once are serialised: every version is taken once', async () => {
    const [a, b] = await twoInstances();
    try {
      await a.beginFleetBuild(fleetBuild());
      await a.publishFleetBuild([], fleetMeta('e1'));
      const change = (store: PgBotStore, id: string) =>
        store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [fleetMac(id)],
          removeMacs: [],
          meta: fleetMeta('e1'),
        });
      const written = await Promise.all(
        Array.from({ length: 10 }, (_, i) => [change(a, `a${i}`), change(b, `b${i}`)]).flat(),
      );
      expect(written.map((m) => m.version).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      expect((await b.getFleetSnapshotMeta())?.version).toBe(21);
      expect((await b.readFleetMacs({ epoch: 'e1', version: 1 })).rows).toHaveLength(20);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a publish that fails half-way changes nothing', async () => {
    const store = await openTestStore();
    try {
      await store.beginFleetBuild(fleetBuild());
      await store.stageFleetItems([computerItem('1')], fleetBuild());
      await store.publishFleetBuild([fleetMac('1')], fleetMeta('e1'));
      await store.beginFleetBuild(fleetBuild({ id: 'build-2' }));
      await store.stageFleetItems([computerItem('2')], fleetBuild({ id: 'build-2' }));
      // A row the table refuses (no hash) in the second chunk: after the deletes and the first
      // chunk's insert.
      const macs = Array.from({ length: 501 }, (_, i) => fleetMac(String(i + 1)));
      macs[500] = { ...macs[500]!, hash: null as never };
      await expect(store.publishFleetBuild(macs, fleetMeta('e2'))).rejects.toThrow();

      expect(await store.getFleetSnapshotMeta()).toEqual({ ...fleetMeta('e1'), version: 1 });
      expect(byJamfId((await store.readFleetMacs(null)).rows)).toEqual([fleetMac('1')]);
      expect(await store.readFleetSources('computer')).toEqual([computerItem('1')]);
      expect(await store.readStagedFleetItems('computer')).toEqual([computerItem('2')]);
      expect(await store.getFleetBuild()).toEqual(fleetBuild({ id: 'build-2' }));
    } finally {
      await store.close();
    }
  });
});

describe('PgBotStore fleet snapshot at scale', () => {
  it('publishes 50,000 Macs of ~1.5 KB and reads them back', async () => {
    const store = await openTestStore();
    try {
      const n = 50_000;
      const macs = Array.from({ length: n }, (_, i) => fleetMac(String(i + 1)));
      await store.beginFleetBuild(fleetBuild());
      const times: string[] = [];
      const meta = await timed(times, 'published', () => store.publishFleetBuild(macs, fleetMeta('e1')));
      const read = await timed(times, 'readFleetMacs', () => store.readFleetMacs(null));
      const changes = await timed(times, 'applyFleetChanges of 500 + 1 removed', () =>
        store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: macs.slice(0, 500).map((m) => fleetMac(m.jamfId, 1)),
          removeMacs: ['50000'],
          meta: fleetMeta('e1'),
        }),
      );
      console.log(`PostgreSQL, ${n} Macs: ${times.join(', ')}`);
      expect(read.rows).toHaveLength(n);
      expect(read.rows.find((r) => r.jamfId === '12345')).toEqual(fleetMac('12345'));
      expect(changes.version).toBe(meta.version + 1);
      const since = await store.readFleetMacs({ epoch: 'e1', version: meta.version });
      expect(since.rows).toHaveLength(500);
      expect(since.removed).toEqual(['50000']);
    } finally {
      await store.close();
    }
  }, 120_000);
});
