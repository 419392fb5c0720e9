import { LATEST_SCHEMA_VERSION } from '../../src/doctor/checkDatabase';
import { openSchemaProbe } from '../../src/store/openSchemaProbe';
import { PgBotStore } from '../../src/store/pgBotStore';
import { freshDatabase } from './pgTestDatabase';

/** The setup doctor's read-only look at PostgreSQL: it reports the schema, never creates or migrates it. */
describe('openSchemaProbe on PostgreSQL', () => {
  it('reads 0 on an empty database without creating anything, then the version the bot migrated to', async () => {
    const db = await freshDatabase();
    try {
      const probe = openSchemaProbe({ path: 'unused', databaseUrl: db.url, poolMax: 1 });
      expect(await probe.schemaVersion()).toBe(0);
      // Still nothing there: the probe did not migrate.
      expect(await probe.schemaVersion()).toBe(0);
      const store = await PgBotStore.open({ connectionString: db.url, maxConnections: 2 });
      await store.ready();
      await store.close();
      expect(await probe.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await db.drop();
    }
  });

  it('throws when the server cannot be reached', async () => {
    const probe = openSchemaProbe({
      path: 'unused',
      databaseUrl: 'postgres://bot:x@127.0.0.1:1/bot',
      poolMax: 1,
    });
    await expect(probe.schemaVersion()).rejects.toThrow();
  });
});
