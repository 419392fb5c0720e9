import { Scheduler } from '../../src/jobs/scheduler';
import { silentLogger } from '../../src/log';
import { PgBotStore } from '../../src/store/pgBotStore';
import { PG_MIGRATIONS } from '../../src/store/migrations';
import { freshDatabase, freshSchema, testDatabaseUrl, withAdmin } from './pgTestDatabase';

testDatabaseUrl();

/**
 * Three instances of the bot sharing one PostgreSQL database, each with its own pool (its own
 * connections, as separate processes would have): they start at the same moment and race for
 * the same scheduled due times.
 */
describe('three instances on one PostgreSQL database', () => {
  const openThree = (schema: string, migrations = PG_MIGRATIONS) =>
    [1, 2, 3].map(
      () => new PgBotStore({ connectionString: testDatabaseUrl(), schema, maxConnections: 3, migrations }),
    );

  it('apply the migrations exactly once when all three start at once on a fresh database', async () => {
    const db = await freshDatabase();
    // A slow last migration that fails if run twice: without the lock the race would show.
    const slow = [
      ...PG_MIGRATIONS,
      { version: 99, name: 'slow', sql: 'SELECT pg_sleep(0.4); CREATE TABLE slow_once (x integer)' },
    ];
    const stores = [1, 2, 3].map(
      () => new PgBotStore({ connectionString: db.url, maxConnections: 3, migrations: slow }),
    );
    try {
      const applied = await Promise.all(stores.map((s) => s.appliedMigrations()));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(slow.map((m) => m.version));
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      const check = new PgBotStore({ connectionString: db.url, maxConnections: 1, migrations: slow });
      expect(await check.appliedMigrations()).toEqual([]);
      await check.close();
      // All three work on the shared database.
      await Promise.all(stores.map((s, i) => s.saveAlertState(alertState(i))));
      expect((await stores[0]!.getAlertState('connector'))?.checkedAt).toMatch(/^2026-11-24T10:3\d/);
      const counts = await Promise.all(stores.map((s) => s.listAudit({ limit: 1 })));
      expect(counts).toEqual([[], [], []]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it('fire each due time once: three schedulers racing for 30 due times of two jobs', async () => {
    const schema = await freshSchema('sched');
    const stores = openThree(schema);
    await Promise.all(stores.map((s) => s.ready()));
    const runs: { instance: number; job: string }[] = [];
    const schedulers = stores.map((store, instance) => {
      const scheduler = new Scheduler({
        logger: silentLogger(),
        claim: (job, dueAt) => store.claimJobRun(job, dueAt, `instance-${instance}`),
      });
      for (const job of ['connector-check', 'rollout-snapshot'])
        scheduler.add({
          name: job,
          schedule: { everyMs: 300_000 },
          run: async () => void runs.push({ instance, job }),
        });
      return scheduler;
    });
    const t0 = Date.parse('2026-11-24T10:30:00.000Z');
    const ranHere = await Promise.all(
      Array.from({ length: 15 }, (_, k) => new Date(t0 + k * 300_000)).flatMap((dueAt) =>
        schedulers.flatMap((s) => [s.runDue('connector-check', dueAt), s.runDue('rollout-snapshot', dueAt)]),
      ),
    );
    expect(ranHere.filter(Boolean)).toHaveLength(30);
    expect(runs).toHaveLength(30);
    const claims = await withAdmin(
      (pool) =>
        pool.query<{ job: string; n: number; instances: number }>(
          'SELECT job, count(*)::int AS n, count(DISTINCT instance_id)::int AS instances FROM job_runs GROUP BY job ORDER BY job',
        ),
      schema,
    );
    expect(claims.rows.map((r) => [r.job, r.n])).toEqual([
      ['connector-check', 15],
      ['rollout-snapshot', 15],
    ]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('fire a schedule once when three running schedulers reach the same due time', async () => {
    const schema = await freshSchema('timer');
    const stores = openThree(schema);
    await Promise.all(stores.map((s) => s.ready()));
    // Every instance started within the same 5-minute slot, at different moments.
    const starts = ['2026-11-24T10:30:05.000Z', '2026-11-24T10:31:40.000Z', '2026-11-24T10:34:59.000Z'];
    const fired: number[] = [];
    const schedulers = stores.map((store, instance) => {
      const scheduler = new Scheduler({
        logger: silentLogger(),
        now: () => new Date(starts[instance]!),
        claim: (job, dueAt) => store.claimJobRun(job, dueAt, `instance-${instance}`),
      });
      scheduler.add({
        name: 'connector-check',
        schedule: { everyMs: 300_000 },
        run: async () => void fired.push(instance),
      });
      return scheduler;
    });
    schedulers.forEach((s) => s.start());
    await waitFor(async () => (await countClaims(schema)) === 1);
    await new Promise((r) => setTimeout(r, 300)); // let the losers finish their attempt
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(fired).toHaveLength(1);
    const { rows } = await withAdmin(
      (pool) => pool.query<{ due_at: Date }>('SELECT due_at FROM job_runs'),
      schema,
    );
    expect(rows.map((r) => r.due_at.toISOString())).toEqual(['2026-11-24T10:30:00.000Z']);
    await Promise.all(stores.map((s) => s.close()));
  });
});

function alertState(i: number) {
  return {
    key: 'connector',
    healthy: true,
    problems: [],
    since: '2026-11-24T10:00:00.000Z',
    checkedAt: `2026-11-24T10:3${i}:00.000Z`,
    alert: null,
  };
}

async function countClaims(schema: string): Promise<number> {
  return withAdmin(
    async (pool) => (await pool.query('SELECT count(*)::int AS n FROM job_runs')).rows[0].n as number,
    schema,
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
