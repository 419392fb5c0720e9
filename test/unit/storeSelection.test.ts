import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { describeDatabaseUrl } from '../../src/store/describeDatabaseUrl';
import { openBotStore } from '../../src/store/openBotStore';
import { PgBotStore } from '../../src/store/pgBotStore';
import { MIGRATIONS } from '../../src/store/migrations';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

describe('choosing the store', () => {
  it('uses the SQLite file by default and PostgreSQL when DATABASE_URL is set', async () => {
    const sqlite = loadConfig({ DATABASE_PATH: ':memory:' });
    expect(sqlite.store).toEqual({ path: ':memory:', databaseUrl: null, poolMax: 10 });
    const store = openBotStore(sqlite.store, silentLogger());
    expect(store).toBeInstanceOf(SqliteBotStore);
    await store.close();

    const url = 'postgres://bot:s3cret@db.example.com:5432/bot?sslmode=verify-full';
    const pg = loadConfig({ DATABASE_URL: url, DATABASE_POOL_MAX: '4' });
    expect(pg.store).toMatchObject({ databaseUrl: url, poolMax: 4 });
    // Loopback port 1: nothing listens, so nothing leaves the machine.
    const remote = openBotStore(
      { ...pg.store, databaseUrl: 'postgres://bot:s3cret@127.0.0.1:1/bot' },
      silentLogger(),
    );
    expect(remote).toBeInstanceOf(PgBotStore);
    await expect(remote.ready()).rejects.toThrow(
      /PostgreSQL at postgres:\/\/bot@127\.0\.0\.1:1\/bot is not usable/,
    );
    await remote.close();
  });

  it('refuses a DATABASE_URL that is not a postgres:// URL without repeating it', () => {
    let problems: string[] = [];
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:s3cret@db/bot' });
    } catch (e) {
      if (e instanceof ConfigError) problems = e.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(
        /^DATABASE_URL: must be a postgres:\/\/ URL — set it to postgres:\/\/USER:PASSWORD@HOST/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it('describes a connection string without its password or query string', () => {
    expect(
      describeDatabaseUrl('postgres://bot:s3cret@db.example.com:5432/bot?sslmode=require&password=x'),
    ).toBe('postgres://bot@db.example.com:5432/bot');
    expect(describeDatabaseUrl('postgresql://db.example.com/bot')).toBe('postgresql://db.example.com/bot');
    expect(describeDatabaseUrl('postgres://us%40er:p%40ss@h/d')).toBe('postgres://us@er@h/d');
    expect(describeDatabaseUrl('not a url s3cret')).not.toContain('s3cret');
  });

  it('has one migration list with SQL for both databases under each version', () => {
    // A feature's tables exist in both stores at the same schema version (conformance needs both).
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    for (const m of MIGRATIONS) {
      expect(m.sqlite.trim()).not.toBe('');
      expect(m.postgres.trim()).not.toBe('');
    }
  });
});
