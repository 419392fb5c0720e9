import type { BotStore } from '../../src/store/botStore';
import {
  byId,
  byJamfId,
  computerItem,
  fleetBuild,
  fleetMac,
  fleetMeta,
  membershipItem,
  userItem,
} from './fleetSnapshotFixtures';

/**
 * The fleet snapshot's storage behaviour, written once and run against each store: SQLite in
 * test/unit/sqliteFleetSnapshotStore.test.ts, PostgreSQL in test/postgres/pgFleetSnapshotStore.test.ts.
 * `openStore` must give a fresh, empty, migrated store each time. Checks that need one engine
 * (files, connections, concurrency) stay in that engine's test file.
 */
export function describeFleetSnapshotStoreConformance(
  name: string,
  openStore: () => Promise<BotStore>,
): void {
  describe(`FleetSnapshotStore conformance: ${name}`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await openStore();
      await store.ready();
    });
    afterEach(async () => {
      await store.close();
    });

    /** A published snapshot at version 1, epoch e1: Macs 1–3, two computers, a user, a membership. */
    async function publishFirst(): Promise<void> {
      await store.beginFleetBuild(fleetBuild());
      await store.stageFleetItems(
        [computerItem('1'), computerItem('2'), userItem('u1'), membershipItem('g1', 'u1')],
        fleetBuild(),
      );
      await store.publishFleetBuild([fleetMac('1'), fleetMac('2'), fleetMac('3')], fleetMeta('e1'));
    }

    it('is empty before the first build', async () => {
      expect(await store.getFleetSnapshotMeta()).toBeNull();
      expect(await store.readFleetMacs(null)).toEqual({ meta: null, full: true, rows: [], removed: [] });
      expect(await store.readFleetMacs({ epoch: 'e1', version: 3 })).toEqual({
        meta: null,
        full: true,
        rows: [],
        removed: [],
      });
      expect(await store.readFleetMacHashes()).toEqual(new Map());
      expect(await store.readFleetSources('computer')).toEqual([]);
      expect(await store.getFleetBuild()).toBeNull();
      expect(await store.readStagedFleetItems('computer')).toEqual([]);
    });

    describe('a full build', () => {
      it('stages items (a later one replaces the same kind and id) and keeps the build state, unpublished', async () => {
        await store.beginFleetBuild(fleetBuild());
        await store.stageFleetItems([computerItem('1'), computerItem('2'), userItem('u1')], fleetBuild());
        const later = fleetBuild({ progress: { macsRead: 2, macsTotal: 3, phase: 'computers' } });
        await store.stageFleetItems([computerItem('2', 'Renamed'), membershipItem('g1', 'u1')], later);

        expect(await store.getFleetBuild()).toEqual(later);
        expect(byId(await store.readStagedFleetItems('computer'))).toEqual([
          computerItem('1'),
          computerItem('2', 'Renamed'),
        ]);
        expect(await store.readStagedFleetItems('user')).toEqual([userItem('u1')]);
        expect(await store.readStagedFleetItems('membership')).toEqual([membershipItem('g1', 'u1')]);
        expect(await store.readStagedFleetItems('device')).toEqual([]);
        // Nothing is published yet.
        expect(await store.getFleetSnapshotMeta()).toBeNull();
        expect(await store.readFleetSources('computer')).toEqual([]);
      });

      it('publishes: staged items become the sources, the rows and meta are written at version 1, staging is cleared', async () => {
        await publishFirst();
        const meta = { ...fleetMeta('e1'), version: 1 };
        expect(await store.getFleetSnapshotMeta()).toEqual(meta);
        const read = await store.readFleetMacs(null);
        expect({ ...read, rows: byJamfId(read.rows) }).toEqual({
          meta,
          full: true,
          rows: [fleetMac('1'), fleetMac('2'), fleetMac('3')],
          removed: [],
        });
        expect(await store.readFleetMacHashes()).toEqual(
          new Map([
            ['1', 'h-1-0'],
            ['2', 'h-2-0'],
            ['3', 'h-3-0'],
          ]),
        );
        expect(byId(await store.readFleetSources('computer'))).toEqual([
          computerItem('1'),
          computerItem('2'),
        ]);
        expect(await store.readFleetSources('user')).toEqual([userItem('u1')]);
        expect(await store.readFleetSources('membership')).toEqual([membershipItem('g1', 'u1')]);
        expect(await store.getFleetBuild()).toBeNull();
        expect(await store.readStagedFleetItems('computer')).toEqual([]);
      });

      it('a later build replaces every row and source, under its new epoch and the next version', async () => {
        await publishFirst();
        await store.beginFleetBuild(fleetBuild({ id: 'build-2', reason: 'scheduled' }));
        await store.stageFleetItems([computerItem('2', 'New name'), computerItem('4')], fleetBuild());
        const written = await store.publishFleetBuild(
          [fleetMac('2', 1), fleetMac('4')],
          fleetMeta('e2', { builtAt: '2026-11-21T08:00:00.000Z' }),
        );
        expect(written).toEqual({ ...fleetMeta('e2', { builtAt: '2026-11-21T08:00:00.000Z' }), version: 2 });
        expect(await store.getFleetSnapshotMeta()).toEqual(written);
        expect(byJamfId((await store.readFleetMacs(null)).rows)).toEqual([fleetMac('2', 1), fleetMac('4')]);
        expect(byId(await store.readFleetSources('computer'))).toEqual([
          computerItem('2', 'New name'),
          computerItem('4'),
        ]);
        expect(await store.readFleetSources('user')).toEqual([]);
        expect(await store.readFleetSources('membership')).toEqual([]);
      });

      it('beginning a build empties a staging area left by an earlier one', async () => {
        await store.beginFleetBuild(fleetBuild());
        await store.stageFleetItems([computerItem('1')], fleetBuild());
        await store.beginFleetBuild(fleetBuild({ id: 'build-2' }));
        expect(await store.readStagedFleetItems('computer')).toEqual([]);
        expect(await store.getFleetBuild()).toEqual(fleetBuild({ id: 'build-2' }));
      });

      it('abandoning drops the build and its staging; the published snapshot is untouched', async () => {
        await publishFirst();
        await store.beginFleetBuild(fleetBuild({ id: 'build-2' }));
        await store.stageFleetItems([computerItem('9')], fleetBuild({ id: 'build-2' }));
        await store.abandonFleetBuild();
        expect(await store.getFleetBuild()).toBeNull();
        expect(await store.readStagedFleetItems('computer')).toEqual([]);
        expect((await store.getFleetSnapshotMeta())?.version).toBe(1);
        expect(byId(await store.readFleetSources('computer'))).toEqual([
          computerItem('1'),
          computerItem('2'),
        ]);
        expect((await store.readFleetMacs(null)).rows).toHaveLength(3);
      });
    });

    describe('incremental changes', () => {
      it('bump the version, and a reader at the old version gets the changed rows and the removed ids', async () => {
        await publishFirst();
        const meta = fleetMeta('e1', { syncedAt: '2026-11-20T08:05:00.000Z', notApplicable: 4 });
        const written = await store.applyFleetChanges({
          upsertSources: [computerItem('5')],
          removeSources: [{ kind: 'computer', id: '1' }],
          upsertMacs: [fleetMac('2', 1), fleetMac('5')],
          removeMacs: ['1'],
          meta,
        });
        expect(written).toEqual({ ...meta, version: 2 });
        expect(await store.getFleetSnapshotMeta()).toEqual(written);

        const since = await store.readFleetMacs({ epoch: 'e1', version: 1 });
        expect({ ...since, rows: byJamfId(since.rows) }).toEqual({
          meta: written,
          full: false,
          rows: [fleetMac('2', 1), fleetMac('5')],
          removed: ['1'],
        });
        expect(await store.readFleetMacs({ epoch: 'e1', version: 2 })).toEqual({
          meta: written,
          full: false,
          rows: [],
          removed: [],
        });
        // A removed Mac is in no full read and no hash list.
        expect(byJamfId((await store.readFleetMacs(null)).rows)).toEqual([
          fleetMac('2', 1),
          fleetMac('3'),
          fleetMac('5'),
        ]);
        expect([...(await store.readFleetMacHashes()).entries()].sort()).toEqual([
          ['2', 'h-2-1'],
          ['3', 'h-3-0'],
          ['5', 'h-5-0'],
        ]);
        expect(byId(await store.readFleetSources('computer'))).toEqual([
          computerItem('2'),
          computerItem('5'),
        ]);
      });

      it('keep the version when nothing changed, but still write the meta (syncedAt, cursors)', async () => {
        await publishFirst();
        const meta = fleetMeta('e1', { syncedAt: '2026-11-20T08:10:00.000Z' });
        meta.cursors.usersDeltaLink = 'https://graph.example/v1.0/users/delta?$deltatoken=u2';
        const written = await store.applyFleetChanges({
          // The same hash, the same body, ids that are not there: no change.
          upsertSources: [computerItem('1')],
          removeSources: [{ kind: 'device', id: 'nope' }],
          upsertMacs: [fleetMac('2')],
          removeMacs: ['404'],
          meta,
        });
        expect(written).toEqual({ ...meta, version: 1 });
        expect(await store.getFleetSnapshotMeta()).toEqual(written);
        expect(await store.readFleetMacs({ epoch: 'e1', version: 1 })).toMatchObject({
          rows: [],
          removed: [],
        });
        const empty = await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [],
          removeMacs: [],
          meta,
        });
        expect(empty.version).toBe(1);
      });

      it('bump the version when only a source changed', async () => {
        await publishFirst();
        const written = await store.applyFleetChanges({
          upsertSources: [userItem('u1', 'Now with a name')],
          removeSources: [],
          upsertMacs: [],
          removeMacs: [],
          meta: fleetMeta('e1'),
        });
        expect(written.version).toBe(2);
        expect(await store.readFleetSources('user')).toEqual([userItem('u1', 'Now with a name')]);
      });

      it('a removed Mac that comes back is a changed row again, no longer a removal', async () => {
        await publishFirst();
        await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [],
          removeMacs: ['1'],
          meta: fleetMeta('e1'),
        });
        // Removing it again changes nothing.
        const again = await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [],
          removeMacs: ['1'],
          meta: fleetMeta('e1'),
        });
        expect(again.version).toBe(2);
        // Back with the same hash as before its removal: still a change.
        const back = await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [fleetMac('1')],
          removeMacs: [],
          meta: fleetMeta('e1'),
        });
        expect(back.version).toBe(3);
        expect(await store.readFleetMacs({ epoch: 'e1', version: 1 })).toMatchObject({
          rows: [fleetMac('1')],
          removed: [],
        });
        expect(await store.readFleetMacs({ epoch: 'e1', version: 2 })).toMatchObject({
          rows: [fleetMac('1')],
          removed: [],
        });
        expect((await store.readFleetMacHashes()).get('1')).toBe('h-1-0');
      });

      it('the last of repeated ids wins, and an id both upserted and removed ends removed', async () => {
        await publishFirst();
        await store.applyFleetChanges({
          upsertSources: [userItem('u2', 'first'), userItem('u2', 'second')],
          removeSources: [],
          upsertMacs: [fleetMac('7', 1), fleetMac('7', 2), fleetMac('2', 5)],
          removeMacs: ['2'],
          meta: fleetMeta('e1'),
        });
        expect(byId(await store.readFleetSources('user'))).toEqual([
          userItem('u1'),
          userItem('u2', 'second'),
        ]);
        const read = await store.readFleetMacs({ epoch: 'e1', version: 1 });
        expect(read).toMatchObject({ rows: [fleetMac('7', 2)], removed: ['2'] });
      });

      it('before any build, start at version 1', async () => {
        const written = await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [fleetMac('1')],
          removeMacs: [],
          meta: fleetMeta('e0'),
        });
        expect(written.version).toBe(1);
      });
    });

    describe('epochs', () => {
      it('a reader of another epoch gets every row; a full publish drops the tombstones', async () => {
        await publishFirst();
        await store.applyFleetChanges({
          upsertSources: [],
          removeSources: [],
          upsertMacs: [fleetMac('4')],
          removeMacs: ['1'],
          meta: fleetMeta('e1'),
        });
        await store.beginFleetBuild(fleetBuild({ id: 'build-2' }));
        const written = await store.publishFleetBuild([fleetMac('3'), fleetMac('4')], fleetMeta('e2'));
        expect(written.version).toBe(3);

        const old = await store.readFleetMacs({ epoch: 'e1', version: 2 });
        expect({ ...old, rows: byJamfId(old.rows) }).toEqual({
          meta: written,
          full: true,
          rows: [fleetMac('3'), fleetMac('4')],
          removed: [],
        });
        // Within the new epoch, every row is at the publish's version; no tombstone is left.
        const fromZero = await store.readFleetMacs({ epoch: 'e2', version: 0 });
        expect(fromZero.full).toBe(false);
        expect(byJamfId(fromZero.rows)).toEqual([fleetMac('3'), fleetMac('4')]);
        expect(fromZero.removed).toEqual([]);
      });
    });

    describe('the sync lease', () => {
      const t0 = new Date('2026-11-20T08:00:00.000Z');
      const at = (ms: number): Date => new Date(t0.getTime() + ms);

      it('one holder at a time; the holder renews; another takes it once it expired', async () => {
        expect(await store.acquireFleetSyncLease('a', 60_000, t0)).toBe(true);
        expect(await store.acquireFleetSyncLease('b', 60_000, at(1_000))).toBe(false);
        expect(await store.acquireFleetSyncLease('a', 60_000, at(30_000))).toBe(true);
        // Renewed until 90 s: still a's at 89 s.
        expect(await store.acquireFleetSyncLease('b', 60_000, at(89_000))).toBe(false);
        expect(await store.acquireFleetSyncLease('b', 60_000, at(90_000))).toBe(true);
        expect(await store.acquireFleetSyncLease('a', 60_000, at(91_000))).toBe(false);
      });

      it('is given up by its holder only', async () => {
        expect(await store.acquireFleetSyncLease('a', 60_000, t0)).toBe(true);
        await store.releaseFleetSyncLease('b');
        expect(await store.acquireFleetSyncLease('b', 60_000, at(1_000))).toBe(false);
        await store.releaseFleetSyncLease('a');
        expect(await store.acquireFleetSyncLease('b', 60_000, at(2_000))).toBe(true);
      });
    });
  });
}
