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
    const known = SQLITE_MIGRATIONS.map((m) => m.version);
    expect(applySqliteMigrations(db)).toEqual(known);
    const version = Math.max(...known) + 1;
    const next = [...SQLITE_MIGRATIONS, { version, name: 'test', sql: 'CREATE TABLE t (x INTEGER)' }];
    expect(applySqliteMigrations(db, next)).toEqual([version]);
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

  it('keeps an append-only audit log: newest first, paged, filtered by action; no edits', async () => {
    const store = SqliteBotStore.open(file);
    const actor = { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await store.appendAudit({
          at: `2026-11-20T08:0${i}:00.000Z`,
          actor,
          action: i % 2 ? 'onboard.apply' : 'onboard group',
          target: 'Mac users',
          outcome: i === 4 ? 'refused' : 'ok',
          details: { step: i, note: 'ünïcødé' },
        }),
      );
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const newest = await store.listAudit({ limit: 2 });
    expect(newest.map((e) => e.id)).toEqual([ids[4], ids[3]]);
    expect(newest[0]).toEqual({
      id: ids[4],
      at: '2026-11-20T08:04:00.000Z',
      actor,
      action: 'onboard group',
      target: 'Mac users',
      outcome: 'refused',
      details: { step: 4, note: 'ünïcødé' },
    });
    expect((await store.listAudit({ limit: 10, beforeId: ids[2] })).map((e) => e.id)).toEqual([
      ids[1],
      ids[0],
    ]);
    expect((await store.listAudit({ limit: 10, action: 'onboard.apply' })).map((e) => e.id)).toEqual([
      ids[3],
      ids[1],
    ]);
    await store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });

  it('welcomes each person once (a second claim loses), and forgets a welcome on request', async () => {
    const store = SqliteBotStore.open(file);
    const at = '2026-11-26T10:00:00.000Z';
    const claims = await Promise.all([store.claimWelcome('u1', at), store.claimWelcome('u1', at)]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await store.claimWelcome('u2', at)).toBe(true);
    await store.close();
    const again = SqliteBotStore.open(file);
    expect(await again.claimWelcome('u1', at)).toBe(false);
    await again.forgetWelcome('u1');
    expect(await again.claimWelcome('u1', at)).toBe(true);
    await again.close();
  });

  it('opens at most one escalation per person per day; a failed one does not count', async () => {
    const store = SqliteBotStore.open(file);
    const e = (userKey: string, day: string) => ({
      userKey,
      day,
      createdAt: `${day}T09:00:00.000Z`,
      userName: 'Patti',
      userUpn: 'patti@x',
    });
    const first = await store.openEscalation(e('u1', '2026-11-26'));
    expect(first).toMatchObject({
      created: true,
      escalation: { userKey: 'u1', status: 'open', posted: null },
    });
    const second = await store.openEscalation(e('u1', '2026-11-26'));
    expect(second).toMatchObject({ created: false, existing: { status: 'open' } });
    if (!first.created || second.created) throw new Error('unreachable');
    expect(second.existing.id).toBe(first.escalation.id);
    // Another person, or the next day: allowed.
    expect((await store.openEscalation(e('u2', '2026-11-26'))).created).toBe(true);
    expect((await store.openEscalation(e('u1', '2026-11-27'))).created).toBe(true);
    await store.markEscalationPosted(first.escalation.id, { conversationId: '19:c', activityId: 'a1' });
    const kept = await store.openEscalation(e('u1', '2026-11-26'));
    expect(kept).toMatchObject({
      created: false,
      existing: { posted: { conversationId: '19:c', activityId: 'a1' } },
    });
    // A failed post releases the day.
    const u3 = await store.openEscalation(e('u3', '2026-11-26'));
    if (!u3.created) throw new Error('unreachable');
    await store.markEscalationFailed(u3.escalation.id);
    expect((await store.openEscalation(e('u3', '2026-11-26'))).created).toBe(true);
    await store.close();
  });
});
