import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { campaign, claim } from '../store/botStoreConformance';

// The campaign state machine is in the conformance suite (test/store/botStoreConformance.ts),
// run on SQLite and PostgreSQL; what stays here needs SQLite's file.
describe('campaign store on a file', () => {
  it('keeps campaigns and outbox rows across a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-store-'));
    try {
      const file = path.join(dir, 'bot.sqlite');
      const a = SqliteBotStore.open(file);
      await a.createCampaign(campaign('c1', 2));
      await claim(a, 'A', 1);
      await a.close();
      const b = SqliteBotStore.open(file);
      expect(await b.campaignCounts('c1')).toMatchObject({ total: 2, pending: 1, inFlight: 1 });
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
