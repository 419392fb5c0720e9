import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetMacRow, FleetSourceItem } from '../../src/compliance/fleetSnapshotTypes';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import {
  byId,
  byJamfId,
  computerItem,
  fleetBuild,
  fleetMac,
  fleetMeta,
  macRecord,
  timed,
} from '../store/fleetSnapshotFixtures';
import { describeFleetSnapshotStoreConformance } from '../store/fleetSnapshotStoreConformance';

describeFleetSnapshotStoreConformance('SqliteBotStore', async () => SqliteBotStore.open(':memory:'));

describe('SqliteBotStore fleet snapshot on a file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-store-'));
    file = path.join(dir, 'bot.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a build in progress across a crash (close and reopen), which then continues and publishes', async () => {
    const first = SqliteBotStore.open(file);
    await first.beginFleetBuild(fleetBuild());
    const halfway = fleetBuild({
      progress: { macsRead: 1, macsTotal: 2, phase: 'computers' },
      cursors: { page: 1 },
    });
    await first.stageFleetItems([computerItem('1')], halfway);
    await first.close();

    const again = SqliteBotStore.open(file);
    expect(await again.getFleetBuild()).toEqual(halfway);
    expect(await again.readStagedFleetItems('computer')).toEqual([computerItem('1')]);
    await again.stageFleetItems([computerItem('2')], fleetBuild({ cursors: { page: 2 } }));
    await again.publishFleetBuild([fleetMac('1'), fleetMac('2')], fleetMeta('e1'));
    await again.close();

    const third = SqliteBotStore.open(file);
    expect((await third.getFleetSnapshotMeta())?.version).toBe(1);
    expect(byId(await third.readFleetSources('computer'))).toEqual([computerItem('1'), computerItem('2')]);
    expect(byJamfId((await third.readFleetMacs(null)).rows)).toEqual([fleetMac('1'), fleetMac('2')]);
    await third.close();
  });

  it('a publish that fails half-way changes nothing: the last snapshot, staging and build stay', async () => {
    const store = SqliteBotStore.open(file);
    await store.beginFleetBuild(fleetBuild());
    await store.stageFleetItems([computerItem('1')], fleetBuild());
    await store.publishFleetBuild([fleetMac('1'), fleetMac('2')], fleetMeta('e1'));
    await store.beginFleetBuild(fleetBuild({ id: 'build-2' }));
    await store.stageFleetItems([computerItem('3')], fleetBuild({ id: 'build-2' }));

    // JSON.stringify throws on a BigInt: the 2nd row fails after the deletes and the 1st insert.
    const unwritable: FleetMacRow = { ...fleetMac('4'), record: { ...macRecord('4'), extra: 1n } as never };
    await expect(store.publishFleetBuild([fleetMac('3'), unwritable], fleetMeta('e2'))).rejects.toThrow(
      /BigInt/,
    );
    await expect(
      store.applyFleetChanges({
        upsertSources: [computerItem('9')],
        removeSources: [],
        upsertMacs: [fleetMac('9'), unwritable],
        removeMacs: ['1'],
        meta: fleetMeta('e1', { syncedAt: '2026-11-21T00:00:00.000Z' }),
      }),
    ).rejects.toThrow(/BigInt/);

    expect(await store.getFleetSnapshotMeta()).toEqual({ ...fleetMeta('e1'), version: 1 });
    expect(byJamfId((await store.readFleetMacs(null)).rows)).toEqual([fleetMac('1'), fleetMac('2')]);
    expect(await store.readFleetSources('computer')).toEqual([computerItem('1')]);
    expect(await store.readStagedFleetItems('computer')).toEqual([computerItem('3')]);
    expect(await store.getFleetBuild()).toEqual(fleetBuild({ id: 'build-2' }));
    await store.close();
  });

  it('a reader on another connection sees the last committed snapshot while a publish is under way', async () => {
    const store = SqliteBotStore.open(file);
    await store.beginFleetBuild(fleetBuild());
    await store.publishFleetBuild([fleetMac('1'), fleetMac('2')], fleetMeta('e1'));
    const writer = SqliteBotStore.open(file);
    // Stops the writer's publish half-way (rows deleted, one inserted, nothing committed) and
    // reads there on the other connection: the SQLite store's methods run synchronously.
    const stringify = JSON.stringify;
    let calls = 0;
    let during: ReturnType<SqliteBotStore['readFleetMacs']> | undefined;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation(((value: unknown) => {
      if (++calls === 2) during = store.readFleetMacs(null);
      return stringify(value);
    }) as typeof JSON.stringify);
    try {
      await writer.publishFleetBuild([fleetMac('3'), fleetMac('4'), fleetMac('5')], fleetMeta('e2'));
    } finally {
      spy.mockRestore();
    }
    const seen = await during!;
    expect(seen.meta).toMatchObject({ epoch: 'e1', version: 1 });
    expect(byJamfId(seen.rows)).toEqual([fleetMac('1'), fleetMac('2')]);
    // And once committed, the new one, whole.
    const after = await store.readFleetMacs(null);
    expect(after.meta).toMatchObject({ epoch: 'e2', version: 2 });
    expect(byJamfId(after.rows).map((r) => r.jamfId)).toEqual(['3', '4', '5']);
    await writer.close();
    await store.close();
  });

  it('two instances on one file never both hold the lease', async () => {
    const a = SqliteBotStore.open(file);
    const b = SqliteBotStore.open(file);
    const now = new Date('2026-11-20T08:00:00.000Z');
    expect(await a.acquireFleetSyncLease('a', 60_000, now)).toBe(true);
    expect(await b.acquireFleetSyncLease('b', 60_000, now)).toBe(false);
    expect(await b.acquireFleetSyncLease('b', 60_000, new Date(now.getTime() + 60_000))).toBe(true);
    expect(await a.acquireFleetSyncLease('a', 60_000, new Date(now.getTime() + 61_000))).toBe(false);
    await a.close();
    await b.close();
  });

  it('nothing in the retention rules deletes the snapshot: it outlives a plan and a job-run cleanup', async () => {
    const store = SqliteBotStore.open(file);
    await store.beginFleetBuild(fleetBuild());
    await store.stageFleetItems([computerItem('1')], fleetBuild());
    await store.publishFleetBuild([fleetMac('1')], fleetMeta('e1', { builtAt: '2020-01-01T00:00:00.000Z' }));
    await store.saveOnboardingPlan({
      id: 'p1',
      createdAt: '2030-01-01T00:00:00.000Z',
      actor: { teamsUserId: '29:x', aadObjectId: null, name: null },
      target: 'all',
      plan: {},
    });
    await store.claimJobRun('daily', '2030-01-01T00:00:00.000Z', 'i1');
    expect((await store.readFleetMacs(null)).rows).toHaveLength(1);
    expect(await store.readFleetSources('computer')).toHaveLength(1);
    await store.close();
  });
});

describe('SqliteBotStore fleet snapshot at scale', () => {
  it('publishes 50,000 Macs of ~1.5 KB and their sources, and reads them back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-scale-'));
    const store = SqliteBotStore.open(path.join(dir, 'bot.sqlite'));
    try {
      const n = 50_000;
      const macs = Array.from({ length: n }, (_, i) => fleetMac(String(i + 1)));
      const computers: FleetSourceItem[] = macs.map((m) => ({
        kind: 'computer',
        id: m.jamfId,
        body: m.record.jamf,
      }));
      expect(JSON.stringify(macs[0]!.record).length).toBeGreaterThan(1_200);

      const times: string[] = [];
      await store.beginFleetBuild(fleetBuild());
      await timed(times, 'staged', async () => {
        for (let i = 0; i < n; i += 5_000)
          await store.stageFleetItems(computers.slice(i, i + 5_000), fleetBuild());
      });
      const meta = await timed(times, 'published', () => store.publishFleetBuild(macs, fleetMeta('e1')));
      const read = await timed(times, 'readFleetMacs', () => store.readFleetMacs(null));
      const sources = await timed(times, 'readFleetSources', () => store.readFleetSources('computer'));
      const hashes = await timed(times, 'readFleetMacHashes', () => store.readFleetMacHashes());
      const changes = await timed(times, 'applyFleetChanges of 500 + 2 removed', () =>
        store.applyFleetChanges({
          upsertSources: computers.slice(0, 500),
          removeSources: [],
          upsertMacs: macs.slice(0, 500).map((m) => fleetMac(m.jamfId, 1)),
          removeMacs: ['49999', '50000'],
          meta: fleetMeta('e1'),
        }),
      );
      const since = await store.readFleetMacs({ epoch: 'e1', version: meta.version });
      console.log(`SQLite, ${n} Macs: ${times.join(', ')}`);
      expect(read.rows).toHaveLength(n);
      expect(read.rows.find((r) => r.jamfId === '12345')).toEqual(fleetMac('12345'));
      expect(sources).toHaveLength(n);
      expect(sources.find((s) => s.id === '777')).toEqual(computers[776]);
      expect(hashes.size).toBe(n);
      expect(changes.version).toBe(2);
      expect(since.rows).toHaveLength(500);
      expect(since.removed.sort()).toEqual(['49999', '50000']);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
