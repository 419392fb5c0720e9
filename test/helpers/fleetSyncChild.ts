/**
 * A fleet sync in its own process, for the crash test: `tsx fleetSyncChild.ts <db>` with the
 * demo tenant's client settings as JSON in `FLEET_CHILD_CONFIG` runs one full build into the
 * SQLite file (one Jamf page at a time, so a slow tenant makes it last) and exits, unless killed.
 */
import { FleetSync } from '../../src/fleet/fleetSync';
import { silentLogger } from '../../src/log';
import type { AppConfig } from '../../src/config';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { createUpstreamClients } from '../../src/upstream/createUpstreamClients';
import { CHILD_LEASE_SECONDS, RIG_RETRY, RIG_SETTINGS } from './fleetSyncRig';

export type FleetChildConfig = Pick<AppConfig, 'graph' | 'jamf' | 'tenantId' | 'criteria'> & {
  connectorName: string;
};

async function main(): Promise<void> {
  const [databasePath] = process.argv.slice(2);
  const raw = process.env.FLEET_CHILD_CONFIG;
  if (!databasePath || !raw) throw new Error('usage: FLEET_CHILD_CONFIG=… fleetSyncChild <db>');
  const config = JSON.parse(raw) as FleetChildConfig;
  const clients = createUpstreamClients(config, { retryPolicy: RIG_RETRY });
  const store = SqliteBotStore.open(databasePath);
  const sync = new FleetSync({
    store,
    graph: clients.graph,
    jamf: clients.jamf,
    criteria: config.criteria,
    connectorName: config.connectorName,
    // A short lease (renewed every 2/3 s while alive): the next start need not wait two minutes.
    settings: { ...RIG_SETTINGS, jamfConcurrency: 1, leaseSeconds: CHILD_LEASE_SECONDS },
    log: silentLogger(),
    instanceId: `child-${process.pid}`,
  });
  process.stdout.write('started\n');
  const outcome = await sync.syncNow({ full: true });
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  clients.jamf.close();
  await clients.graph.close();
  await store.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
