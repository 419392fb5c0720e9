import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applySqliteMigrations } from '../../src/store/applySqliteMigrations';
import type { AlertState, RolloutSnapshot } from '../../src/store/botStore';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { SQLITE_MIGRATIONS } from '../../src/store/sqliteMigrations';

const snapshot = (day: string, percentCompliant = 50): RolloutSnapshot => ({
  day,
  takenAt: `${day}T06:00:00.000Z`,
  total: 10,
  applicable: 8,
  byVerdict: { compliant: 4, not_applicable: 2 },
  percentCompliant,
  topReasons: [{ code: 'no_entra_device', label: 'Not registered with Entra ID', count: 3 }],
});

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

  it('keeps one snapshot per day (a later one replaces it) and lists the latest N, oldest first', async () => {
    const store = SqliteBotStore.open(file);
    for (const d of ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'])
      await store.saveSnapshot(snapshot(d));
    await store.saveSnapshot(snapshot('2026-11-20', 77));
    expect((await store.getSnapshot('2026-11-20'))!.percentCompliant).toBe(77);
    const listed = await store.listSnapshots({ toDay: '2026-11-20', limit: 2 });
    expect(listed.map((s) => s.day)).toEqual(['2026-11-19', '2026-11-20']);
    expect(await store.getSnapshot('2026-01-01')).toBeNull();
    await store.close();
  });

  it('stores a healthy state without an alert, and refreshes a conversation keeping when it was first seen', async () => {
    const store = SqliteBotStore.open(file);
    const healthy: AlertState = {
      key: 'connector',
      healthy: true,
      problems: [],
      since: '2026-11-20T08:00:00.000Z',
      checkedAt: '2026-11-20T08:00:00.000Z',
      alert: null,
    };
    await store.saveAlertState(healthy);
    expect(await store.getAlertState('connector')).toEqual(healthy);
    expect(await store.getAlertState('other')).toBeNull();

    expect(await store.firstChannel()).toBeNull();
    await store.saveConversation({
      ...channel,
      conversationId: 'a:personal',
      scope: 'personal',
      aadObjectId: 'u1',
      seenAt: '2026-11-19T00:00:00.000Z',
    });
    await store.saveConversation({ ...channel, seenAt: '2026-11-20T00:00:00.000Z' });
    await store.saveConversation({
      ...channel,
      conversationId: '19:later@thread.tacv2',
      seenAt: '2026-11-21T00:00:00.000Z',
    });
    await store.saveConversation({ ...channel, seenAt: '2026-11-22T00:00:00.000Z' });
    const first = await store.firstChannel();
    expect(first).toMatchObject({
      conversationId: channel.conversationId,
      firstSeen: '2026-11-20T00:00:00.000Z',
      lastSeen: '2026-11-22T00:00:00.000Z',
    });
    await store.close();
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
    expect(applySqliteMigrations(db)).toEqual([1]);
    const next = [...SQLITE_MIGRATIONS, { version: 2, name: 'test', sql: 'CREATE TABLE t (x INTEGER)' }];
    expect(applySqliteMigrations(db, next)).toEqual([2]);
    expect(applySqliteMigrations(db, next)).toEqual([]);
    expect(() => applySqliteMigrations(db)).toThrow(/newer than this build knows/);
    db.close();
  });

  it('works in memory (tests)', async () => {
    const store = SqliteBotStore.open(':memory:');
    await store.saveSnapshot(snapshot('2026-11-20'));
    expect(await store.listSnapshots({ toDay: '2026-12-31', limit: 10 })).toHaveLength(1);
    await store.close();
  });
});
