/**
 * Two bot instances on one PostgreSQL database (two pools), syncing one demo tenant over the real
 * simulators: asked to sync at the same moment, exactly one runs and the other is told `busy`;
 * both instances' readers see the same version; what one publishes the other's reader sees.
 */
import { FleetSnapshotReader } from '../../src/fleet/fleetSnapshotReader';
import { silentLogger } from '../../src/log';
import type { PgBotStore } from '../../src/store/pgBotStore';
import { startFleetSyncRig, summaries, type FleetSyncRig } from '../helpers/fleetSyncRig';
import { freshSchema, openTestStore, testDatabaseUrl } from './pgTestDatabase';

testDatabaseUrl();

let rig: FleetSyncRig;
let stores: PgBotStore[] = [];
beforeAll(async () => {
  rig = await startFleetSyncRig({ size: 300 });
  const schema = await freshSchema();
  stores = [await openTestStore({ schema }), await openTestStore({ schema })];
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await rig.close();
});

const reader = (store: PgBotStore) =>
  new FleetSnapshotReader({ store, requestSync: async () => {}, logger: silentLogger(), pollMs: 0 });

it('two instances syncing at once: exactly one runs, the other is busy; both read the same version; B reads what A published', async () => {
  const [a, b] = stores as [PgBotStore, PgBotStore];
  const syncA = rig.sync({ store: a, instanceId: 'instance-a' }).sync;
  const syncB = rig.sync({ store: b, instanceId: 'instance-b' }).sync;
  // Slow enough that the two calls overlap.
  rig.demo.jamf.faults.setLatency(50);
  rig.demo.graph.faults.latencyMs = 50;

  const cold = await Promise.all([syncA.syncNow(), syncB.syncNow()]);
  expect(cold.map((o) => o.ran).sort()).toEqual(['busy', 'full']);
  expect(cold.find((o) => o.ran === 'full')).toMatchObject({ reason: 'cold', version: 1 });

  const [readA, readB] = [reader(a), reader(b)];
  const [seenA, seenB] = await Promise.all([readA.read(), readB.read()]);
  expect(seenA).toMatchObject({ state: 'ready', version: 1 });
  expect(seenB).toMatchObject({ state: 'ready', version: 1 });
  if (seenA.state !== 'ready' || seenB.state !== 'ready') throw new Error('not ready');
  expect(summaries(seenB.records)).toEqual(summaries(seenA.records));

  // Again, incremental this time, after a change: still exactly one runs.
  const victim = seenA.records.find((r) => r.entra !== null)!;
  const rec = rig.demo.jamf.computer(victim.jamf.id)!;
  const reportedAt = new Date().toISOString();
  rig.demo.jamf.putComputer({
    ...rec,
    general: { ...rec.general, reportDate: reportedAt },
    operatingSystem: { ...rec.operatingSystem, version: '15.9.2' },
  });
  const next = await Promise.all([syncA.syncNow(), syncB.syncNow()]);
  expect(next.map((o) => o.ran).sort()).toEqual(['busy', 'incremental']);

  // Whichever ran, A publishes the next change and B's reader sees it.
  rig.demo.jamf.faults.clear();
  rig.demo.graph.faults.clear();
  rig.demo.jamf.putComputer({
    ...rec,
    general: { ...rec.general, reportDate: new Date(Date.now() + 1000).toISOString() },
    operatingSystem: { ...rec.operatingSystem, version: '15.9.3' },
  });
  const byA = await syncA.syncNow();
  expect(byA).toMatchObject({ ran: 'incremental', version: 3 });
  const afterB = await readB.read();
  expect(afterB).toMatchObject({ state: 'ready', version: 3 });
  if (afterB.state !== 'ready') throw new Error('not ready');
  expect(afterB.records.find((r) => r.jamf.id === victim.jamf.id)?.jamf.osVersion).toBe('15.9.3');
  const afterA = await readA.read();
  expect(afterA).toMatchObject({ version: 3 });
  // And it is the tenant's truth.
  expect(summaries(afterB.records)).toEqual(summaries(await rig.live()));
});
