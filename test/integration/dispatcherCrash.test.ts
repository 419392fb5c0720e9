import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { newCampaign, recipients, startDispatcherRig, RIG_TENANT } from '../helpers/dispatcherRig';

const N = 300;
const CONCURRENCY = 16;

describe('a crash mid-campaign (SIGKILL) and a restart', () => {
  let dir: string;
  let connector: ConnectorSimulator;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatcher-crash-'));
    // Latency makes sends overlap the kill: delivered on arrival, answered 40 ms later.
    connector = await startConnectorSimulator({ latencyMs: 40, limits: { appPerSecond: 200 } });
  });
  afterAll(async () => {
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('zero duplicates, zero lost, and no more sends in doubt than were in flight', async () => {
    const db = path.join(dir, 'bot.sqlite');
    const setup = SqliteBotStore.open(db);
    const list = recipients(N);
    // Half the recipients have a conversation already, half need one created.
    for (const r of list.slice(0, N / 2)) {
      const conversationId = connector.conversationFor(r.recipientId);
      await setup.saveConversation({
        conversationId,
        scope: 'personal',
        tenantId: RIG_TENANT,
        teamId: null,
        aadObjectId: r.recipientId,
        reference: {
          serviceUrl: connector.serviceUrl,
          channelId: 'msteams',
          bot: { id: '28:bot' },
          user: { id: r.recipientId },
          conversation: { id: conversationId, conversationType: 'personal', tenantId: RIG_TENANT },
        },
        seenAt: new Date().toISOString(),
      });
    }
    await setup.createCampaign(newCampaign('crash', list));
    await setup.close();

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../helpers/dispatcherChild.ts'), db, connector.serviceUrl],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    try {
      await connector.waitForSent(N / 3, 30_000);
    } catch (e) {
      throw new Error(`${String(e)}\nchild stderr:\n${stderr}`);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const deliveredBeforeRestart = connector.stats.delivered;
    expect(deliveredBeforeRestart).toBeLessThan(N);

    // What the dead process left behind.
    const peek = SqliteBotStore.open(db);
    const left = await peek.campaignCounts('crash');
    await peek.close();
    expect(left.inFlight).toBeGreaterThan(0);

    // Restart: a new dispatcher on the same file recovers and finishes the campaign by itself.
    const rig = await startDispatcherRig({
      databasePath: db,
      connector,
      perSecond: 150,
      dispatcher: { concurrency: CONCURRENCY },
    });
    try {
      const recovered = await rig.dispatcher.start();
      expect(recovered.inDoubt).toBeLessThanOrEqual(CONCURRENCY);
      await rig.drained('crash', 30_000);
      const counts = await rig.store.campaignCounts('crash');
      // Zero lost: everyone is in a final state, sent or in doubt (no failure was injected).
      expect(counts).toMatchObject({ total: N, pending: 0, inFlight: 0, failed: {}, skipped: {} });
      expect(counts.sent + counts.inDoubt).toBe(N);
      expect(counts.inDoubt).toBe(recovered.inDoubt);
      expect(counts.inDoubt).toBeLessThanOrEqual(CONCURRENCY);
      // Zero duplicates, checked in the connector's own record.
      expect(connector.duplicates()).toEqual([]);
      const delivered = connector.deliveredByConversation();
      const rows = await rig.store.listOutbox('crash', { limit: N });
      for (const row of rows.filter((r) => r.state === 'sent')) {
        expect(delivered.get(row.conversationId!)).toBe(1);
      }
      // An in-doubt send arrived at most once (it may or may not have); it was never resent.
      for (const row of rows.filter((r) => r.state === 'in_doubt')) {
        expect(delivered.get(connector.conversationFor(row.recipientId)) ?? 0).toBeLessThanOrEqual(1);
      }
      expect(await rig.store.getCampaign('crash')).toMatchObject({ state: 'done' });
    } finally {
      await rig.close();
    }
  }, 60_000);
});
