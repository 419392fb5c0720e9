import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../demo/startDemoTenant';
import type { MacRecord } from '../../src/compliance/types';
import { loadConfig, type AppConfig } from '../../src/config';
import { FleetSync } from '../../src/fleet/fleetSync';
import type { FleetSyncDeps, FleetSyncSettings } from '../../src/fleet/fleetSyncTypes';
import { silentLogger } from '../../src/log';
import { loadFleet } from '../../src/lookup/loadFleet';
import type { FleetSnapshotStore } from '../../src/store/ports/fleetSnapshotStore';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { createUpstreamClients } from '../../src/upstream/createUpstreamClients';
import type { RetryPolicy } from '../../src/upstream/retryPolicy';

/** Small pages, so a few hundred Macs make several Jamf pages; no schedule (tests call `syncNow`). */
export const RIG_SETTINGS: FleetSyncSettings = {
  intervalMinutes: 60,
  fullResyncCron: null,
  jamfOverlapMinutes: 10,
  jamfPageSize: 100,
  maxThrottleWaitSeconds: 600,
};

/** Quick short retries: a test's faults surface at once (a long Retry-After is the sync's to wait out). */
export const RIG_RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, budgetMs: 2_000 };

/** The crash test child's sync lease (fleetSyncChild.ts): a killed child's lease runs out this long after its last renewal. */
export const CHILD_LEASE_SECONDS = 2;

export interface FleetSyncRig {
  demo: DemoTenant;
  config: AppConfig;
  clients: ReturnType<typeof createUpstreamClients>;
  /** The SQLite file the store lives in. */
  databasePath: string;
  store: SqliteBotStore;
  /** A FleetSync over the rig's clients and store; `waits` records every throttle pause instead of sleeping. */
  sync(over?: Partial<FleetSyncDeps>): { sync: FleetSync; waits: number[] };
  /** The fleet as a live load reads it now: the truth a snapshot must match. */
  live(): Promise<MacRecord[]>;
  close(): Promise<void>;
}

/** The demo tenant over loopback HTTPS, the real clients, and a SQLite file store. */
export async function startFleetSyncRig(opts: DemoTenantOptions = {}): Promise<FleetSyncRig> {
  const demo = await startDemoTenant({ size: 300, seed: 17, ...opts });
  const config = demo.configure(loadConfig({ PORT: '0', PLAYGROUND: 'false', LOG_LEVEL: 'silent' }));
  const clients = createUpstreamClients(config, { retryPolicy: RIG_RETRY });
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-rig-'));
  const databasePath = path.join(dir, 'bot.db');
  const store = SqliteBotStore.open(databasePath);
  return {
    demo,
    config,
    clients,
    databasePath,
    store,
    sync(over = {}) {
      const waits: number[] = [];
      const sync = new FleetSync({
        store: store as FleetSnapshotStore,
        graph: clients.graph,
        jamf: clients.jamf,
        criteria: config.criteria,
        connectorName: config.connector.name,
        settings: RIG_SETTINGS,
        log: silentLogger(),
        sleep: async (ms) => {
          waits.push(ms);
        },
        instanceId: `rig-${Math.random().toString(36).slice(2)}`,
        ...over,
      });
      return { sync, waits };
    },
    async live() {
      const load = await loadFleet(clients, {
        criteria: config.criteria,
        connectorName: config.connector.name,
        jamfPageSize: 500,
      });
      return load.records;
    },
    async close() {
      clients.jamf.close();
      await clients.graph.close();
      await store.close();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What a snapshot row must agree with a live load on: the join and the facts that move. (Not the
 * user's mail: a live load knows an owner only by id and UPN, the snapshot has the whole user.)
 */
export function joinSummary(r: MacRecord): Record<string, unknown> {
  return {
    jamfId: r.jamf.id,
    name: r.jamf.name,
    reportDate: r.jamf.reportDate,
    osVersion: r.jamf.osVersion,
    entraId: r.entra?.id ?? null,
    owners: r.entra?.ownerIds ?? null,
    userId: r.user?.id ?? null,
    upn: r.user?.userPrincipalName ?? null,
    inConnectorGroup: r.userInConnectorGroup,
  };
}

/** Rows as summaries keyed by Jamf id. */
export function summaries(records: Iterable<MacRecord>): Map<string, Record<string, unknown>> {
  return new Map([...records].map((r) => [r.jamf.id, joinSummary(r)]));
}
