import net from 'node:net';
import { PgBotStore } from '../../src/store/pgBotStore';
import { PG_MIGRATIONS } from '../../src/store/migrations';
import { applyPgMigrations } from '../../src/store/applyPgMigrations';
import { describeBotStoreConformance, snapshot } from '../store/botStoreConformance';
import { freshSchema, openTestStore, testDatabaseUrl, withAdmin } from './pgTestDatabase';

// Fails the whole file at once when there is no server to test against.
testDatabaseUrl();

describeBotStoreConformance('PgBotStore', () => openTestStore());

describe('PgBotStore on PostgreSQL', () => {
  it('keeps everything across a reopen (another pool on the same database)', async () => {
    const schema = await freshSchema();
    const first = await openTestStore({ schema });
    expect(await first.appliedMigrations()).toEqual(PG_MIGRATIONS.map((m) => m.version));
    await first.saveSnapshot(snapshot('2026-11-20'));
    const id = await first.appendAudit({
      at: '2026-11-20T08:00:00.000Z',
      actor: { teamsUserId: '29:alex', aadObjectId: null, name: null },
      action: 'onboard.apply',
      target: null,
      outcome: 'applied',
      details: { steps: 3 },
    });
    await first.close();

    const again = await openTestStore({ schema });
    expect(await again.appliedMigrations()).toEqual([]);
    expect(await again.getSnapshot('2026-11-20')).toEqual(snapshot('2026-11-20'));
    expect((await again.listAudit({ limit: 5 })).map((e) => e.id)).toEqual([id]);
    await again.close();
  });

  it('records each migration once, and refuses a database newer than the build', async () => {
    const schema = await freshSchema();
    await withAdmin(async (pool) => {
      const known = PG_MIGRATIONS.map((m) => m.version);
      expect(await applyPgMigrations(pool)).toEqual(known);
      expect(await applyPgMigrations(pool)).toEqual([]);
      const version = Math.max(...known) + 1;
      const next = [...PG_MIGRATIONS, { version, name: 'test', sql: 'CREATE TABLE t (x integer)' }];
      expect(await applyPgMigrations(pool, next)).toEqual([version]);
      const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual([...known, version].map((v) => ({ version: v })));
      await expect(applyPgMigrations(pool)).rejects.toThrow(/newer than this build knows.*DATABASE_URL/);
    }, schema);
    await expect(openTestStore({ schema })).rejects.toThrow(/is not usable: .*newer than this build knows/);
  });

  it('rolls a failing migration back whole, and says which one failed', async () => {
    const schema = await freshSchema();
    const broken = [
      ...PG_MIGRATIONS,
      { version: 99, name: 'half done', sql: 'CREATE TABLE half (x integer); SELECT no_such_function()' },
    ];
    await expect(openTestStore({ schema, migrations: broken })).rejects.toThrow(
      /migration 99 \(half done\) failed: function no_such_function\(\) does not exist/,
    );
    await withAdmin(async (pool) => {
      expect((await pool.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
      expect((await pool.query('SELECT max(version) AS v FROM schema_migrations')).rows).toEqual([
        { v: Math.max(...PG_MIGRATIONS.map((m) => m.version)) },
      ]);
    }, schema);
  });

  it('refuses to edit, delete or truncate the audit log, even through raw SQL', async () => {
    const schema = await freshSchema();
    const store = await openTestStore({ schema });
    await store.appendAudit({
      at: '2026-11-20T08:00:00.000Z',
      actor: { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' },
      action: 'onboard.apply',
      target: 'Mac users',
      outcome: 'applied',
      details: {},
    });
    await store.close();
    await withAdmin(async (pool) => {
      await expect(pool.query("UPDATE audit_log SET outcome = 'ok'")).rejects.toThrow(/append-only/);
      await expect(pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect((await pool.query('SELECT count(*)::int AS n FROM audit_log')).rows).toEqual([{ n: 1 }]);
    }, schema);
  });

  it('says which database is unreachable without ever showing its password', async () => {
    const port = await closedPort();
    const store = new PgBotStore({
      connectionString: `postgres://bot:hunter2-secret@127.0.0.1:${port}/bot?sslmode=disable&password=hunter2-secret`,
    });
    const err = await store.ready().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      new RegExp(`PostgreSQL at postgres://bot@127\\.0\\.0\\.1:${port}/bot is not usable`),
    );
    expect(err?.message).not.toContain('hunter2');
    // A method called meanwhile fails the same way instead of hanging.
    await expect(store.getSnapshot('2026-11-20')).rejects.toThrow(/is not usable/);
    await store.close();
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
