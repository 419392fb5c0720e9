import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { ADMIN } from '../helpers/activities';
import { adminInChannel, cardText, startBot, waitUntil, type BotHarness } from '../helpers/botHarness';

const MEGAN = DEMO_PEOPLE[1]!;

/**
 * Replies reuse one Bot Connector client per service URL (ConnectorClientCache); reminders take
 * the retry policy out of the client they are handed. The two must never share a client, or a
 * reminder would silently take retries away from every later reply.
 */
describe('replies keep botbuilder’s retries after a reminder went out on the same service URL', () => {
  let bot: BotHarness;
  let dir: string;
  const { say } = adminInChannel(() => bot);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reply-retries-'));
    bot = await startBot(
      { DATABASE_PATH: path.join(dir, 'bot.sqlite'), BROADCAST_MAX_PER_SECOND: '200' },
      { size: 20 },
    );
  });
  afterAll(async () => {
    await bot.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a reply that meets one 503 is retried and arrives, before and after a reminder', async () => {
    expect(cardText(await say('help'))).toContain('check device');

    bot.connector.fault({ operation: 'send', status: 503, times: 1 });
    expect(cardText(await say('help'))).toContain('check device');
    expect(bot.connector.stats.faults).toBe(1);

    const campaign = await bot.app.broadcasts.remindOne(
      {
        recipientId: MEGAN.aadObjectId,
        name: MEGAN.name,
        upn: MEGAN.upn,
        macs: [
          {
            computerId: '2',
            name: 'Megan’s MacBook Air',
            serialNumber: 'C02DEMO0002',
            verdict: 'not_registered',
          },
        ],
      },
      { teamsUserId: ADMIN.teamsId, aadObjectId: ADMIN.aadObjectId, name: ADMIN.name },
    );
    await waitUntil(async () => (await bot.app.store.getCampaign(campaign.id))?.state === 'done');

    bot.connector.fault({ operation: 'send', status: 503, times: 1 });
    expect(cardText(await say('help'))).toContain('check device');
    expect(bot.connector.stats.faults).toBe(2);
  }, 30_000);
});
