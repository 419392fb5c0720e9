/**
 * A process killed mid-build, against the real simulators and a SQLite file: a fleet sync in a
 * child process starts a full build over a published snapshot and is SIGKILLed halfway; a
 * reader on the same file still sees the last complete snapshot; a new sync on the file
 * continues the build (pages the dead process finished are not read again) and publishes it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FullBuildCursors } from '../../src/fleet/runFullBuild';
import { FleetSnapshotReader } from '../../src/fleet/fleetSnapshotReader';
import { silentLogger } from '../../src/log';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import type { FleetChildConfig } from '../helpers/fleetSyncChild';
import {
  CHILD_LEASE_SECONDS,
  startFleetSyncRig,
  summaries,
  type FleetSyncRig,
} from '../helpers/fleetSyncRig';

const INVENTORY = '/api/v4/computers-inventory';
const SIZE = 500;
/** Per request: the child's build takes a few seconds (five Jamf pages one at a time, five Graph device pages). */
const LATENCY_MS = 300;

let rig: FleetSyncRig;
beforeAll(async () => {
  rig = await startFleetSyncRig({ size: SIZE });
});
afterAll(() => rig.close());

it('a build killed halfway leaves readers on the last snapshot; the next start continues it and publishes', async () => {
  const first = await rig.sync().sync.syncNow();
  expect(first).toMatchObject({ ran: 'full', version: 1 });
  const published = (await rig.store.readFleetMacs(null)).rows;

  rig.demo.jamf.faults.setLatency(LATENCY_MS);
  rig.demo.graph.faults.latencyMs = LATENCY_MS;
  const config: FleetChildConfig = {
    graph: rig.config.graph,
    jamf: rig.config.jamf,
    tenantId: rig.config.tenantId,
    criteria: rig.config.criteria,
    connectorName: rig.config.connector.name,
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../helpers/fleetSyncChild.ts'), rig.databasePath],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FLEET_CHILD_CONFIG: JSON.stringify(config) },
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_c, signal) => resolve(signal)),
  );

  // Kill it once it has staged some Jamf pages, with more to go.
  const deadline = Date.now() + 30_000;
  let cursors: FullBuildCursors | null = null;
  for (;;) {
    const build = await rig.store.getFleetBuild();
    cursors = (build?.cursors as unknown as FullBuildCursors | undefined) ?? null;
    if (cursors && cursors.jamf.pagesDone.length >= 2) break;
    if (Date.now() > deadline) throw new Error(`the child's build never got halfway:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(output).not.toMatch(/"ran"/);

  // What the dead process left: the build in progress, and the snapshot as it was.
  const left = await rig.store.getFleetBuild();
  expect(left).toMatchObject({ reason: 'requested' });
  const leftCursors = left!.cursors as unknown as FullBuildCursors;
  const pagesDone = leftCursors.jamf.pagesDone;
  const pages = Math.ceil(leftCursors.jamf.totalCount! / leftCursors.jamfPageSize);
  expect(pagesDone.length).toBeGreaterThanOrEqual(2);
  expect(pagesDone.length).toBeLessThan(pages);
  const readerStore = SqliteBotStore.open(rig.databasePath);
  try {
    const reader = new FleetSnapshotReader({
      store: readerStore,
      requestSync: async () => {},
      logger: silentLogger(),
    });
    const seen = await reader.read();
    expect(seen).toMatchObject({ state: 'ready', version: 1 });
    if (seen.state !== 'ready') throw new Error('not ready');
    expect(summaries(seen.records)).toEqual(summaries(published.map((r) => r.record)));
  } finally {
    await readerStore.close();
  }

  // The next start continues the build once the dead process's lease has run out (until then
  // the store says another instance holds it: `busy`).
  rig.demo.jamf.faults.clear();
  rig.demo.graph.faults.clear();
  rig.demo.jamf.requests.clear();
  rig.demo.graph.requests.clear();
  const { sync } = rig.sync();
  let resumed = await sync.syncNow();
  expect(resumed.ran).toBe('busy');
  await new Promise((r) => setTimeout(r, CHILD_LEASE_SECONDS * 1000));
  resumed = await sync.syncNow();
  expect(resumed).toMatchObject({ ran: 'full', reason: 'requested', resumed: true, version: 2 });
  const reread = rig.demo.jamf.requests.entries
    .filter((e) => e.path === INVENTORY && e.query['page-size']?.[0] === String(leftCursors.jamfPageSize))
    .map((e) => Number(e.query.page?.[0]));
  expect(reread.filter((p) => pagesDone.includes(p))).toEqual([]);
  expect(reread.sort()).toEqual([...Array(pages).keys()].filter((p) => !pagesDone.includes(p)));
  if (leftCursors.devices.done)
    expect(rig.demo.graph.requests.entries.filter((e) => e.endpoint === 'GET /devices')).toEqual([]);
  expect(await rig.store.getFleetBuild()).toBeNull();
  const live = await rig.live();
  expect(summaries((await rig.store.readFleetMacs(null)).rows.map((r) => r.record))).toEqual(summaries(live));
}, 60_000);
