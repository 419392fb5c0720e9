import { FleetSnapshotReader } from '../../src/fleet/fleetSnapshotReader';
import type { FleetSnapshotRead } from '../../src/compliance/fleetSnapshotTypes';
import { silentLogger } from '../../src/log';
import { FakeFleetSnapshot } from '../helpers/fakeFleetSnapshot';
import { macRecord } from './complianceFixtures';

const mac = (id: string, name = `Mac-${id}`) => macRecord({ jamf: { id, name } });

function ready(read: FleetSnapshotRead) {
  if (read.state !== 'ready') throw new Error(`expected a snapshot, got ${read.state}`);
  return read;
}

function rig(opts: { sync?: (store: FakeFleetSnapshot) => Promise<unknown> } = {}) {
  let t = Date.parse('2026-12-01T10:00:00Z');
  const now = () => new Date(t);
  const store = new FakeFleetSnapshot(now);
  let syncs = 0;
  const reader = new FleetSnapshotReader({
    store,
    requestSync: async () => {
      syncs++;
      return opts.sync?.(store);
    },
    logger: silentLogger(),
    now,
    pollMs: 1_000,
  });
  return {
    store,
    reader,
    syncs: () => syncs,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('FleetSnapshotReader', () => {
  it('loads the snapshot once, then checks only the header until the poll interval has passed', async () => {
    const { store, reader, advance } = rig();
    store.publishFull([mac('1'), mac('2')], { notApplicable: 3 });
    const first = ready(await reader.read());
    expect(first.records.map((r) => r.jamf.id)).toEqual(['1', '2']);
    expect(first.notApplicable).toBe(3);
    expect(first.asOf.toISOString()).toBe('2026-12-01T10:00:00.000Z');

    await reader.read();
    await reader.read();
    expect(store.calls.meta).toBe(1);
    advance(1_000);
    const again = ready(await reader.read());
    expect(store.calls.meta).toBe(2);
    // Same version: the same array (callers key caches on it), no rows read again.
    expect(again.records).toBe(first.records);
    expect(store.calls.macs).toHaveLength(1);
  });

  it('pulls only the rows changed since its version, and drops tombstoned Macs', async () => {
    const { store, reader, advance } = rig();
    store.publishFull([mac('1'), mac('2'), mac('3')]);
    const v1 = ready(await reader.read());
    advance(60_000);
    store.applyChanges([mac('2', 'Renamed'), mac('4')], ['3']);
    advance(1_000);
    const v2 = ready(await reader.read());
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.records.map((r) => `${r.jamf.id}:${r.jamf.name}`)).toEqual(['1:Mac-1', '2:Renamed', '4:Mac-4']);
    expect(store.calls.macs[1]).toEqual({ since: { epoch: 'e1', version: v1.version }, rows: 2 });
    expect(reader.size).toBe(3);
    expect(v2.asOf.getTime() - v1.asOf.getTime()).toBe(60_000);
  });

  it('moves "as of" when a sync found nothing new, without reading rows', async () => {
    const { store, reader, advance } = rig();
    store.publishFull([mac('1')]);
    const v1 = ready(await reader.read());
    advance(5 * 60_000);
    store.applyChanges([]);
    const v2 = ready(await reader.read());
    expect(v2.version).toBe(v1.version);
    expect(v2.asOf.getTime() - v1.asOf.getTime()).toBe(5 * 60_000);
    expect(v2.records).toBe(v1.records);
    expect(store.calls.macs).toHaveLength(1);
  });

  it('reloads everything when a full build published a new epoch', async () => {
    const { store, reader, advance } = rig();
    store.publishFull([mac('1'), mac('2')]);
    await reader.read();
    store.publishFull([mac('7')]);
    advance(1_000);
    const read = ready(await reader.read());
    expect(read.records.map((r) => r.jamf.id)).toEqual(['7']);
    expect(store.calls.macs[1]!.since).toEqual({ epoch: 'e1', version: 1 });
    expect(reader.size).toBe(1);
  });

  it('catches up at once after notifyPublished, without waiting for the poll', async () => {
    const { store, reader } = rig();
    store.publishFull([mac('1')]);
    await reader.read();
    store.applyChanges([mac('2')]);
    expect(ready(await reader.read()).records).toHaveLength(1);
    reader.notifyPublished();
    expect(ready(await reader.read()).records).toHaveLength(2);
  });

  it('adopts the records a full build in this process published, without reading the rows back', async () => {
    const { store, reader } = rig();
    store.publishFull([mac('1')]);
    await reader.read();
    const built = [mac('2'), mac('3')];
    store.publishFull(built, { notApplicable: 4 });
    const meta = (await store.getFleetSnapshotMeta())!;
    reader.notifyPublished({ meta, records: built });
    const read = ready(await reader.read());
    expect(read.records).toEqual(built);
    expect(read.records[0]).toBe(built[0]);
    expect(read.version).toBe(meta.version);
    expect(read.notApplicable).toBe(4);
    expect(store.calls.macs).toHaveLength(1);
  });

  it('adopts the records of an incremental whole-fleet publish on top of the version before it, reporting its changes', async () => {
    const { store, reader } = rig();
    // As after a restart: the reader's records are parsed from the store…
    store.publishFull([mac('1'), mac('2'), mac('3')]);
    const first = ready(await reader.read());
    const seen: { jamfId: string; before: string | null; after: string | null }[] = [];
    reader.onChanges((b) =>
      seen.push(
        ...b.changes.map((c) => ({
          jamfId: c.jamfId,
          before: c.before?.jamf.name ?? null,
          after: c.after?.jamf.name ?? null,
        })),
      ),
    );
    // …then the sync's first incremental publish re-joined the whole fleet from its own sources.
    const joined = [mac('1'), mac('2', 'Renamed'), mac('4')];
    store.applyChanges([joined[1]!, joined[2]!], ['3']);
    const meta = (await store.getFleetSnapshotMeta())!;
    reader.notifyPublished({
      meta,
      records: joined,
      changed: { since: meta.version - 1, upserted: ['2', '4'], removed: ['3'] },
    });
    const read = ready(await reader.read());
    expect(read.version).toBe(meta.version);
    expect(read.records).toEqual(joined);
    // The unchanged Mac is now the sync's object: the fleet is held once.
    expect(read.records[0]).toBe(joined[0]);
    expect(read.records[0]).not.toBe(first.records[0]);
    expect(store.calls.macs).toHaveLength(1);
    expect(seen).toEqual([
      { jamfId: '3', before: 'Mac-3', after: null },
      { jamfId: '2', before: 'Mac-2', after: 'Renamed' },
      { jamfId: '4', before: null, after: 'Mac-4' },
    ]);
  });

  it('adopts a whole-fleet publish that changed nothing (the version stays): the fleet is held once', async () => {
    const { store, reader } = rig();
    store.publishFull([mac('1'), mac('2')]);
    await reader.read();
    const meta = (await store.getFleetSnapshotMeta())!;
    const joined = [mac('1'), mac('2')];
    reader.notifyPublished({
      meta,
      records: joined,
      changed: { since: meta.version, upserted: [], removed: [] },
    });
    const read = ready(await reader.read());
    expect(read.records[0]).toBe(joined[0]);
    expect(read.version).toBe(meta.version);
  });

  it('does not adopt an incremental publish that started from another version: it pulls the rows instead', async () => {
    const { store, reader } = rig();
    store.publishFull([mac('1')]);
    await reader.read();
    store.applyChanges([mac('2')]);
    store.applyChanges([mac('3')]);
    const meta = (await store.getFleetSnapshotMeta())!;
    const records = [mac('1'), mac('2'), mac('3')];
    reader.notifyPublished({
      meta,
      records,
      changed: { since: meta.version - 1, upserted: ['3'], removed: [] },
    });
    const read = ready(await reader.read());
    expect(read.records.map((r) => r.jamf.id)).toEqual(['1', '2', '3']);
    expect(read.records[2]).not.toBe(records[2]);
    expect(store.calls.macs).toHaveLength(2);
  });

  it('reports the cold build’s progress while there is no snapshot', async () => {
    const { store, reader, syncs } = rig();
    store.startBuild({ macsRead: 23_000, macsTotal: 50_000, phase: 'reading Jamf inventory' });
    const read = await reader.read();
    expect(read).toEqual({
      state: 'building',
      progress: { macsRead: 23_000, macsTotal: 50_000, phase: 'reading Jamf inventory' },
      startedAt: new Date('2026-12-01T10:00:00Z'),
    });
    // Someone is building already: no second request.
    expect(syncs()).toBe(0);
  });

  it('starts the cold build when nobody has, and says it is starting', async () => {
    let finish: () => void = () => {};
    const { reader, syncs, advance } = rig({ sync: () => new Promise<void>((r) => (finish = r)) });
    const read = await reader.read();
    expect(read).toMatchObject({
      state: 'building',
      progress: { macsRead: 0, macsTotal: null, phase: 'starting' },
    });
    expect(syncs()).toBe(1);
    advance(1_000);
    await reader.read();
    // One request in flight at a time.
    expect(syncs()).toBe(1);
    finish();
  });

  it('refresh resolves with the snapshot after the sync when it finishes in time', async () => {
    const { store, reader, syncs, advance } = rig({
      sync: async (s) => {
        advance(10);
        s.applyChanges([mac('9')]);
      },
    });
    store.publishFull([mac('1')]);
    const before = ready(await reader.read());
    const after = ready(await reader.refresh({ timeoutMs: 2_000 }));
    expect(syncs()).toBe(1);
    expect(after.version).toBe(before.version + 1);
    expect(after.records.map((r) => r.jamf.id)).toEqual(['1', '9']);
  });

  it('refresh answers with the current snapshot when the sync is slower than the timeout, and joins the sync running', async () => {
    let finish: () => void = () => {};
    const { store, reader, syncs } = rig({ sync: () => new Promise<void>((r) => (finish = r)) });
    store.publishFull([mac('1')]);
    const quick = ready(await reader.refresh({ timeoutMs: 20 }));
    expect(quick.records).toHaveLength(1);
    const waiting = reader.refresh({ timeoutMs: 60_000 });
    expect(syncs()).toBe(1);
    store.applyChanges([mac('2')]);
    finish();
    expect(ready(await waiting).records).toHaveLength(2);
  });

  it('a failed sync request leaves the snapshot as it was', async () => {
    const { store, reader } = rig({ sync: () => Promise.reject(new Error('lease held elsewhere')) });
    store.publishFull([mac('1')]);
    expect(ready(await reader.refresh({ timeoutMs: 1_000 })).records).toHaveLength(1);
  });

  it('answers from the snapshot held when the store cannot be read, and fails without one', async () => {
    const { store, reader, advance } = rig();
    store.publishFull([mac('1')]);
    await reader.read();
    const broken = jest.spyOn(store, 'getFleetSnapshotMeta').mockRejectedValue(new Error('db down'));
    advance(1_000);
    expect(ready(await reader.read()).records).toHaveLength(1);
    const fresh = rig();
    jest.spyOn(fresh.store, 'getFleetSnapshotMeta').mockRejectedValue(new Error('db down'));
    await expect(fresh.reader.read()).rejects.toThrow('db down');
    broken.mockRestore();
  });
});
