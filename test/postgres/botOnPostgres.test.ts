import { END_USER, messageActivity } from '../helpers/activities';
import { startBot, type BotHarness } from '../helpers/botHarness';
import { PgBotStore } from '../../src/store/pgBotStore';
import { freshSchema, testDatabaseUrl, withAdmin } from './pgTestDatabase';

testDatabaseUrl();

/** The whole bot (composition root, adapter, commands, jobs) on PostgreSQL instead of SQLite. */
describe('the bot with DATABASE_URL set', () => {
  let bot: BotHarness;
  let schema: string;

  beforeAll(async () => {
    schema = await freshSchema('bot');
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    bot = await startBot({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('stores conversations, audit entries, snapshots and job claims in PostgreSQL, across a restart', async () => {
    expect(bot.app.store).toBeInstanceOf(PgBotStore);
    const res = await bot.post(
      messageActivity('check device C02DEMO0001', { from: END_USER, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBeLessThan(300);
    await bot.app.jobs.rolloutSnapshot(new Date());
    await bot.app.scheduler.runDue('connector-check', new Date('2026-11-24T10:30:00.000Z'));

    await bot.restart();
    const store = bot.app.store;
    const [entry] = await store.listAudit({ limit: 1, action: 'check device' });
    expect(entry).toMatchObject({ actor: { aadObjectId: END_USER.aadObjectId }, outcome: 'refused' });
    expect(await store.getConversation(`a:${END_USER.teamsId}-personal`)).toMatchObject({
      scope: 'personal',
      aadObjectId: END_USER.aadObjectId,
    });
    expect(await store.listSnapshots({ toDay: '9999-12-31', limit: 5 })).toHaveLength(1);
    expect(await store.claimJobRun('connector-check', '2026-11-24T10:30:00.000Z', 'another')).toBe(false);

    const tables = await withAdmin(
      async (pool) =>
        (
          await pool.query<{ t: string; n: number }>(
            `SELECT 'audit_log' AS t, count(*)::int AS n FROM audit_log
             UNION ALL SELECT 'conversations', count(*)::int FROM conversations
             UNION ALL SELECT 'job_runs', count(*)::int FROM job_runs`,
          )
        ).rows,
      schema,
    );
    expect(Object.fromEntries(tables.map((r) => [r.t, r.n]))).toEqual({
      audit_log: 1,
      conversations: 1,
      job_runs: 1,
    });
  });
});
