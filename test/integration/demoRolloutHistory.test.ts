import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PAST_CAMPAIGN_ID } from '../../demo/seedPastCampaign';
import { DEMO_HISTORY_DAYS } from '../../demo/seedRolloutHistory';
import { campaignEffectiveness } from '../../src/compliance/campaignEffectiveness';
import { loadDemoConfig } from '../../demo/loadDemoConfig';
import { startDemoSimulators } from '../../demo/startDemoSimulators';
import { createLogger } from '../../src/log';
import { rolloutCounts, utcDay } from '../../src/rollout/takeRolloutSnapshot';
import { diagnoseFleetSnapshot } from '../../src/lookup/diagnoseFleetSnapshot';
import { startBot } from '../../src/startBot';
import { freePort } from '../helpers/processes';

/**
 * The demo entry gives a fresh database four weeks of rollout history once the bot has its
 * first fleet picture, ending at today's figures, and a past campaign with its outcomes; a second
 * start on the same database keeps both as they are.
 */
describe('the demo starts with rollout history and a past campaign', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-history-'));
  const databasePath = path.join(dir, 'bot.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** One `npm start` on the database: returns the stored snapshots and what the demo logged. */
  async function start() {
    const said: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        said.push(String((JSON.parse(chunk.toString()) as { msg: unknown }).msg));
        cb();
      },
    });
    const { config: base, demo } = loadDemoConfig({
      DEMO_FLEET_SIZE: '40',
      PORT: String(await freePort()),
      DATABASE_PATH: databasePath,
      PLAYGROUND: 'false',
      DEMO_STORY_SECONDS: '0',
    });
    const logger = createLogger({ level: 'info', destination });
    const sims = await startDemoSimulators(base, demo, logger);
    const bot = await startBot(sims.config, { logger });
    try {
      await sims.botStarted(bot);
      const deadline = Date.now() + 30_000;
      const told = (what: string) => said.some((m) => m.includes(what));
      while (!(told('rollout history') && told('past campaign')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const today = utcDay(new Date());
      const yesterday = utcDay(new Date(Date.now() - 86_400_000));
      const fleet = await bot.app.fleetReader.read();
      if (fleet.state !== 'ready') throw new Error('no fleet picture');
      const diagnosed = diagnoseFleetSnapshot(sims.config.criteria)(fleet, new Date());
      const verdictOf = new Map(diagnosed.records.map((r, i) => [r.jamf.id, diagnosed.verdicts[i]]));
      const input = await bot.app.store.campaignEffectivenessInput(PAST_CAMPAIGN_ID);
      return {
        said: said.filter((m) => m.includes('rollout history')),
        saidCampaign: said.filter((m) => m.includes('past campaign')),
        campaigns: await bot.app.store.listCampaigns({ limit: 10 }),
        funnel: input && campaignEffectiveness(input, new Date()),
        verdictOf,
        recipients: await bot.app.store.listOutbox(PAST_CAMPAIGN_ID, { limit: 100 }),
        past: await bot.app.store.listSnapshots({ toDay: yesterday, limit: 1000 }),
        todayCounts: rolloutCounts(
          { diagnose: diagnoseFleetSnapshot(sims.config.criteria) },
          fleet,
          new Date(),
        ),
        today,
      };
    } finally {
      await bot.close();
      await sims.close();
    }
  }

  it('a fresh database gets the history; a second start does not add to it', async () => {
    const first = await start();
    expect(first.said).toEqual([
      `demo: ${DEMO_HISTORY_DAYS - 1} days of rollout history stored before today, for the trend and the forecast`,
    ]);
    expect(first.past).toHaveLength(DEMO_HISTORY_DAYS - 1);
    expect(first.past[first.past.length - 1]!.day).toBe(utcDay(new Date(Date.now() - 86_400_000)));
    // Rising towards today's real figures, of the same fleet.
    const last = first.past[first.past.length - 1]!;
    expect(last.applicable).toBe(first.todayCounts.applicable);
    expect(last.percentCompliant).toBeLessThanOrEqual(first.todayCounts.percentCompliant);
    expect(first.past[0]!.percentCompliant).toBeLessThan(first.todayCounts.percentCompliant);

    // The past campaign: the known funnel, told of people whose Macs are in that state today.
    expect(first.saidCampaign).toEqual([
      `demo: a past campaign with its outcomes stored (\`campaign ${PAST_CAMPAIGN_ID}\` shows its funnel)`,
    ]);
    expect(first.campaigns.map((c) => [c.id, c.state])).toEqual([[PAST_CAMPAIGN_ID, 'done']]);
    const f = first.funnel!;
    expect([f.sent, f.checked, f.reminded.within, f.baseline.people, f.baseline.within]).toEqual([
      8,
      4,
      { 1: 2, 3: 4, 7: 5 },
      6,
      { 1: 0, 3: 1, 7: 2 },
    ]);
    for (const row of first.recipients.filter((r) => r.state === 'sent')) {
      const verdicts = row.recipient.macs.map((m) => first.verdictOf.get(m.computerId));
      const nowCompliant = f.people.get(row.recipientId)!.compliantAt !== null;
      expect(verdicts.every((v) => (v === 'compliant') === nowCompliant)).toBe(true);
    }
    expect(first.recipients.map((r) => r.recipient.name)).toEqual(
      expect.arrayContaining(['Megan Bowen', 'Isaiah Langer', 'Patti Fernandez']),
    );

    const second = await start();
    expect(second.said).toEqual(['demo: the store already has rollout history; none added']);
    expect(second.past).toEqual(first.past);
    expect(second.saidCampaign).toEqual(['demo: the store already has campaigns; no past campaign added']);
    expect(second.campaigns).toEqual(first.campaigns);
  }, 90_000);
});
