import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applySqliteMigrations } from '../../src/store/applySqliteMigrations';
import type { AlertState } from '../../src/store/botStore';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations';
import { describeBotStoreConformance, snapshot } from '../store/botStoreConformance';

const channel = {
  conversationId: '19:channel@thread.tacv2',
  scope: 'channel' as const,
  tenantId: 't1',
  teamId: '19:team@thread.tacv2',
  aadObjectId: null,
  reference: { serviceUrl: 'https://smba.example/', conversation: { id: '19:channel@thread.tacv2' } },
};

describe('SqliteBotStore on a file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-store-'));
    file = path.join(dir, 'nested', 'bot.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the file and its folder, and keeps everything across a reopen', async () => {
    const store = SqliteBotStore.open(file);
    expect(fs.existsSync(file)).toBe(true);
    await store.saveSnapshot(snapshot('2026-11-20'));
    const alert: AlertState = {
      key: 'connector',
      healthy: false,
      problems: ['partner_state'],
      since: '2026-11-20T08:00:00.000Z',
      checkedAt: '2026-11-20T08:05:00.000Z',
      alert: { conversationId: channel.conversationId, activityId: 'a1', at: '2026-11-20T08:00:01.000Z' },
    };
    await store.saveAlertState(alert);
    await store.saveConversation({ ...channel, seenAt: '2026-11-20T07:00:00.000Z' });
    await store.close();

    const again = SqliteBotStore.open(file);
    expect(await again.getSnapshot('2026-11-20')).toEqual(snapshot('2026-11-20'));
    expect(await again.getAlertState('connector')).toEqual(alert);
    expect(await again.getConversation(channel.conversationId)).toMatchObject({
      ...channel,
      firstSeen: '2026-11-20T07:00:00.000Z',
    });
    await again.close();
  });

  it('applies migrations once: reopening or re-running changes nothing', async () => {
    SqliteBotStore.open(file).close();
    const db = new Database(file);
    expect(applySqliteMigrations(db)).toEqual([]);
    const rows = db.prepare('SELECT version FROM schema_migrations').all();
    expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
    const store = SqliteBotStore.open(file);
    await store.saveSnapshot(snapshot('2026-11-20'));
    await store.close();
  });

  it('applies a new migration on open, and refuses a database newer than the build', () => {
    const db = new Database(path.join(dir, 'migrations.sqlite'));
    const known = SQLITE_MIGRATIONS.map((m) => m.version);
    expect(applySqliteMigrations(db)).toEqual(known);
    const version = Math.max(...known) + 1;
    const next = [...SQLITE_MIGRATIONS, { version, name: 'test', sql: 'CREATE TABLE t (x INTEGER)' }];
    expect(applySqliteMigrations(db, next)).toEqual([version]);
    expect(applySqliteMigrations(db, next)).toEqual([]);
    expect(() => applySqliteMigrations(db)).toThrow(/newer than this build knows/);
    db.close();
  });

  it('refuses to edit or delete the audit log, even through raw SQL', async () => {
    const store = SqliteBotStore.open(file);
    await store.appendAudit({
      at: '2026-11-20T08:00:00.000Z',
      actor: { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' },
      action: 'onboard.apply',
      target: 'Mac users',
      outcome: 'applied',
      details: {},
    });
    await store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    db.close();
  });

  it('gives a due time to one of several stores sharing the file (processes on one host)', async () => {
    const stores = [SqliteBotStore.open(file), SqliteBotStore.open(file), SqliteBotStore.open(file)];
    const won = await Promise.all(
      stores.map((s, i) => s.claimJobRun('connector-check', '2026-11-24T10:30:00.000Z', `i${i}`)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    await Promise.all(stores.map((s) => s.close()));
  });
});

describeBotStoreConformance('SqliteBotStore (in memory)', async () => SqliteBotStore.open(':memory:'));
