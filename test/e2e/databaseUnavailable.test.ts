import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import {
  adminInChannel,
  cardOf,
  cardText,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

/**
 * Issue 21, SQLite: the database file turns read-only (a file system remounted read-only:
 * `PRAGMA query_only` gives SQLite's own SQLITE_READONLY) or full (`PRAGMA max_page_count`
 * capped at the file's size, its free pages used up: SQLITE_FULL) under the running bot.
 * Through /api/messages: a command that must write answers with the database card, `/readyz`
 * says 503 and why, the bot keeps serving, and it all comes back once the file can be written.
 */
describe('SQLite read-only or full under the running bot', () => {
  let bot: BotHarness;
  let dir: string;
  const { say, press } = adminInChannel(() => bot);
  /** The store's own connection (pragmas are per connection). */
  const db = () => (bot.app.store as unknown as { db: Database.Database }).db;
  const readyz = async () => {
    const res = await fetch(`${bot.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
  };
  const lastCard = () => cardText(cardOf(bot.connector.sent().at(-1)));

  /** A preview's Send button data: pressing it stores the campaign and its outbox (many rows). */
  async function sendButton(): Promise<Record<string, unknown>> {
    const preview = await say('remind preview audience not-registered deadline 2099-12-31');
    const send = (preview!.actions as { verb?: string; data?: Record<string, unknown> }[]).find(
      (a) => a.verb === 'campaign.send',
    );
    return send!.data!;
  }

  /** Presses Send; resolves to the card the error sink posted (the press answers with a short message). */
  async function pressExpectingError(data: Record<string, unknown>): Promise<string> {
    const before = bot.connector.sent().length;
    const value = await press('campaign.send', data);
    expect(JSON.stringify(value)).toContain('That did not work');
    await bot.connector.waitForSent(before + 1);
    return lastCard();
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-unavailable-'));
    bot = await startBot(
      { DATABASE_PATH: path.join(dir, 'bot.sqlite'), BROADCAST_MAX_PER_SECOND: '200' },
      { size: 80 },
      { storeFailureHoldMs: 300 },
    );
  });
  afterAll(async () => {
    await bot.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const activity of bot.connector.sent()) {
      const card = cardOf(activity);
      if (card) expect(checkCard(card).problems).toEqual([]);
    }
  });

  it('read-only: the write gets the read-only card, /readyz 503, reads still answer; writable again → all back', async () => {
    expect((await readyz()).status).toBe(200);
    const data = await sendButton();
    db().pragma('query_only = ON');

    const card = await pressExpectingError(data);
    expect(card).toContain("The bot's database is read-only");
    expect(card).toContain('Nothing was changed');
    expect(card).not.toMatch(/SQLITE|at .*\.ts:\d+/);
    expect(await bot.app.store.listCampaigns({ limit: 5 })).toEqual([]);
    expect(await readyz()).toEqual({
      status: 503,
      body: expect.objectContaining({ checks: expect.objectContaining({ database: 'read_only' }) }),
    });
    // Reading still works: the bot keeps answering what needs no write.
    expect(cardText(await say('campaigns'))).not.toContain("The bot's database");

    db().pragma('query_only = OFF');
    await waitUntil(async () => (await readyz()).status === 200, 5000);
    expect((await readyz()).body.checks.database).toBe('ok');
    const progress = cardText(await press('campaign.send', data));
    expect(progress).toMatch(/Reminder campaign c-[0-9a-f]{8}/);
    expect(await bot.app.store.listCampaigns({ limit: 5 })).toHaveLength(1);
  });

  it('full: the write gets the database-full card, /readyz 503 full; space again → all back', async () => {
    const data = await sendButton();
    // The file may not grow, and its free pages are used up by a filler table.
    db().pragma(`max_page_count = ${String(db().pragma('page_count', { simple: true }))}`);
    db().exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
    const fill = db().prepare('INSERT INTO filler VALUES (randomblob(2000))');
    expect(() => {
      for (let i = 0; i < 100_000; i++) fill.run();
    }).toThrow(/database or disk is full/);

    const card = await pressExpectingError(data);
    expect(card).toContain("The bot's database is full");
    expect(card).toContain('more disk space');
    expect((await readyz()).status).toBe(503);
    expect((await readyz()).body.checks.database).toBe('full');
    // Still serving: /healthz is alive, and the bot answers.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    db().pragma('max_page_count = 1073741823');
    db().exec('DROP TABLE filler');
    await waitUntil(async () => (await readyz()).status === 200, 5000);
    expect(cardText(await press('campaign.send', data))).toMatch(/Reminder campaign c-[0-9a-f]{8}/);
    expect(await bot.app.store.listCampaigns({ limit: 5 })).toHaveLength(2);
  });
});
