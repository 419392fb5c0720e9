import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { StoreUnavailableError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { guardStore } from '../../src/store/guardStore';
import { StoreHealth } from '../../src/store/storeHealth';
import {
  isReminderOf,
  newCampaign,
  recipients,
  startDispatcherRig,
  type DispatcherRig,
} from '../helpers/dispatcherRig';

const N = 300;

/**
 * Issue 21, the dispatcher's side: the database refuses every write for a while in the middle of
 * a campaign (SQLite's own SQLITE_READONLY, through the store guard the app wires). Claims wait
 * and try again, sends already on their way have their outcome written once the database takes
 * writes again, and the campaign finishes by itself: everyone reached exactly once, none in doubt.
 */
describe('the dispatcher through a database outage', () => {
  let dir: string;
  let connector: ConnectorSimulator;
  let rig: DispatcherRig | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatcher-outage-'));
    connector = await startConnectorSimulator({ latencyMs: 30, limits: { appPerSecond: 200 } });
  });
  afterAll(async () => {
    await rig?.close();
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits, resumes by itself, and sends nobody twice or never', async () => {
    const health = new StoreHealth({ logger: silentLogger() });
    rig = await startDispatcherRig({
      databasePath: path.join(dir, 'bot.sqlite'),
      connector,
      // ~5 s for the campaign: the outage starts a third of the way, with time to spare on a busy machine.
      perSecond: 60,
      wrapStore: (s) => guardStore(s, health, 'SQLite file bot.sqlite'),
    });
    const list = recipients(N);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('outage', list));
    const db = (rig.store as unknown as { db: Database.Database }).db;

    await rig.dispatcher.start();
    await connector.waitForSent(N / 3, 20_000);
    db.pragma('query_only = ON');
    const down = connector.stats.delivered;
    await new Promise((r) => setTimeout(r, 1500));
    // Only the requests already past `sending` could arrive; no new claim was possible.
    expect(connector.stats.delivered - down).toBeLessThanOrEqual(16);
    expect(health.state(null)).toBe('read_only');
    db.pragma('query_only = OFF');

    await rig.drained('outage', 30_000);
    const counts = await rig.store.campaignCounts('outage');
    expect(counts).toMatchObject({ total: N, sent: N, pending: 0, inFlight: 0, inDoubt: 0 });
    expect(connector.duplicates(isReminderOf('outage'))).toEqual([]);
    const reached = new Set(
      connector
        .sent()
        .filter(isReminderOf('outage'))
        .map((a) => (a.conversation as { id: string }).id),
    );
    expect(reached.size).toBe(N);
  }, 60_000);

  it('a claim whose answer was lost: the rows it took unseen are requeued when their lease runs out, not held for ever', async () => {
    await rig?.close();
    let loseNextClaim = false;
    rig = await startDispatcherRig({
      databasePath: path.join(dir, 'lost.sqlite'),
      connector,
      perSecond: 150,
      // Several instances' mode: leases renewed every leaseMs / 3, expired ones recovered.
      dispatcher: { singleInstance: false, leaseMs: 900 },
      wrapStore: (s) =>
        new Proxy(s, {
          get(target, key) {
            const value: unknown = Reflect.get(target, key, target);
            if (key !== 'claimOutbox' || typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              const rows: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
                target,
                args,
              );
              if (!loseNextClaim) return rows;
              // The rows are claimed in the database, but the answer never arrives.
              loseNextClaim = false;
              throw new StoreUnavailableError('unreachable', 'Connection terminated unexpectedly');
            };
          },
        }),
    });
    const list = recipients(N, 1000);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    await rig.store.createCampaign(newCampaign('lost', list));
    await rig.dispatcher.start();
    await connector.waitForSent(N / 3, 20_000);
    loseNextClaim = true;

    await rig.drained('lost', 30_000);
    const counts = await rig.store.campaignCounts('lost');
    expect(counts).toMatchObject({ total: N, sent: N, pending: 0, inFlight: 0, inDoubt: 0 });
    expect(loseNextClaim).toBe(false);
    expect(connector.duplicates(isReminderOf('lost'))).toEqual([]);
  }, 60_000);
});
