import type { AlertState, AuditEntry, BotStore, RolloutSnapshot } from '../../src/store/botStore';

/**
 * Every storage behaviour the bot relies on, written once and run against each `BotStore`:
 * SQLite in `npm test` (test/unit/sqliteBotStore.test.ts), PostgreSQL in `npm run test:postgres`
 * (test/postgres/pgBotStore.test.ts). `openStore` must give a fresh, empty, migrated store each
 * time. Checks that need one engine's raw SQL or files stay in that engine's test file.
 *
 * Instants are written as the bot writes them (`Date.toISOString()`, milliseconds, `Z`): that is
 * the form both stores return unchanged.
 */
export function describeBotStoreConformance(name: string, openStore: () => Promise<BotStore>): void {
  describe(`BotStore conformance: ${name}`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await openStore();
      await store.ready();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('rollout snapshots', () => {
      it('round-trips a snapshot exactly, and answers null for a day without one', async () => {
        await store.saveSnapshot(snapshot('2026-11-20'));
        expect(await store.getSnapshot('2026-11-20')).toEqual(snapshot('2026-11-20'));
        expect(await store.getSnapshot('2026-01-01')).toBeNull();
        expect(await store.getSnapshot('not a day')).toBeNull();
      });

      it('keeps one snapshot per day (a later one replaces it) and lists the latest N, oldest first', async () => {
        for (const d of ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'])
          await store.saveSnapshot(snapshot(d));
        await store.saveSnapshot({ ...snapshot('2026-11-20', 77), topReasons: [] });
        expect(await store.getSnapshot('2026-11-20')).toEqual({
          ...snapshot('2026-11-20', 77),
          topReasons: [],
        });
        const listed = await store.listSnapshots({ toDay: '2026-11-20', limit: 2 });
        expect(listed.map((s) => s.day)).toEqual(['2026-11-19', '2026-11-20']);
        expect(listed[1]!.percentCompliant).toBe(77);
        expect((await store.listSnapshots({ toDay: '2026-12-31', limit: 10 })).map((s) => s.day)).toEqual([
          '2026-11-18',
          '2026-11-19',
          '2026-11-20',
          '2026-11-21',
        ]);
        expect(await store.listSnapshots({ toDay: '2026-11-17', limit: 10 })).toEqual([]);
        expect(await store.listSnapshots({ toDay: '2026-12-31', limit: 0 })).toEqual([]);
      });

      it('keeps fractional percentages and month/year boundaries in day order', async () => {
        await store.saveSnapshot(snapshot('2026-12-31', 33.333333333333336));
        await store.saveSnapshot(snapshot('2027-01-01', 0.1));
        await store.saveSnapshot(snapshot('2026-02-09', 100));
        const listed = await store.listSnapshots({ toDay: '2027-01-01', limit: 3 });
        expect(listed.map((s) => [s.day, s.percentCompliant])).toEqual([
          ['2026-02-09', 100],
          ['2026-12-31', 33.333333333333336],
          ['2027-01-01', 0.1],
        ]);
      });
    });

    describe('alert state', () => {
      it('round-trips an unhealthy state with its alert, and a healthy one without', async () => {
        const alerted: AlertState = {
          key: 'connector',
          healthy: false,
          problems: ['heartbeat_stale', 'partner_state'],
          since: '2026-11-20T08:00:00.000Z',
          checkedAt: '2026-11-20T08:05:00.000Z',
          alert: { conversationId: CHANNEL.conversationId, activityId: 'a1', at: '2026-11-20T08:00:01.000Z' },
        };
        await store.saveAlertState(alerted);
        expect(await store.getAlertState('connector')).toEqual(alerted);
        expect(await store.getAlertState('other')).toBeNull();

        const healthy: AlertState = {
          key: 'connector',
          healthy: true,
          problems: [],
          since: '2026-11-20T09:00:00.000Z',
          checkedAt: '2026-11-20T09:00:00.000Z',
          alert: null,
        };
        await store.saveAlertState(healthy);
        expect(await store.getAlertState('connector')).toEqual(healthy);
      });

      it('keeps an alert whose activity id is unknown (the post failed to return one)', async () => {
        const state: AlertState = {
          key: 'connector',
          healthy: false,
          problems: ['not_found'],
          since: '2026-11-20T08:00:00.000Z',
          checkedAt: '2026-11-20T08:00:00.000Z',
          alert: { conversationId: CHANNEL.conversationId, activityId: null, at: '2026-11-20T08:00:00.500Z' },
        };
        await store.saveAlertState(state);
        expect(await store.getAlertState('connector')).toEqual(state);
      });
    });

    describe('conversation references', () => {
      it('round-trips a reference as given and refreshes it keeping when it was first seen', async () => {
        await store.saveConversation({ ...CHANNEL, seenAt: '2026-11-20T00:00:00.000Z' });
        expect(await store.getConversation(CHANNEL.conversationId)).toEqual({
          ...CHANNEL,
          firstSeen: '2026-11-20T00:00:00.000Z',
          lastSeen: '2026-11-20T00:00:00.000Z',
        });
        const moved = { ...CHANNEL.reference, serviceUrl: 'https://smba.example/emea/' };
        await store.saveConversation({ ...CHANNEL, reference: moved, seenAt: '2026-11-22T00:00:00.000Z' });
        expect(await store.getConversation(CHANNEL.conversationId)).toEqual({
          ...CHANNEL,
          reference: moved,
          firstSeen: '2026-11-20T00:00:00.000Z',
          lastSeen: '2026-11-22T00:00:00.000Z',
        });
        expect(await store.getConversation('19:unknown@thread.tacv2')).toBeNull();
      });

      it('finds the first team channel the bot saw (personal chats do not count)', async () => {
        expect(await store.firstChannel()).toBeNull();
        await store.saveConversation({
          ...CHANNEL,
          conversationId: 'a:personal',
          scope: 'personal',
          teamId: null,
          aadObjectId: 'u1',
          seenAt: '2026-11-19T00:00:00.000Z',
        });
        expect(await store.firstChannel()).toBeNull();
        await store.saveConversation({ ...CHANNEL, seenAt: '2026-11-20T00:00:00.000Z' });
        await store.saveConversation({
          ...CHANNEL,
          conversationId: '19:later@thread.tacv2',
          seenAt: '2026-11-21T00:00:00.000Z',
        });
        await store.saveConversation({ ...CHANNEL, seenAt: '2026-11-22T00:00:00.000Z' });
        expect(await store.firstChannel()).toMatchObject({
          conversationId: CHANNEL.conversationId,
          firstSeen: '2026-11-20T00:00:00.000Z',
          lastSeen: '2026-11-22T00:00:00.000Z',
        });
      });

      it('breaks a tie on first seen by conversation id, byte order (uppercase first)', async () => {
        const at = '2026-11-20T00:00:00.000Z';
        for (const id of ['19:b@thread.tacv2', '19:a@thread.tacv2', '19:B@thread.tacv2'])
          await store.saveConversation({ ...CHANNEL, conversationId: id, seenAt: at });
        expect((await store.firstChannel())!.conversationId).toBe('19:B@thread.tacv2');
      });
    });

    describe('audit log', () => {
      const actor = { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };

      it('appends with increasing ids and lists newest first, paged and filtered by action', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 5; i++)
          ids.push(
            await store.appendAudit({
              at: `2026-11-20T08:0${i}:00.000Z`,
              actor,
              action: i % 2 ? 'onboard.apply' : 'onboard group',
              target: 'Mac users',
              outcome: i === 4 ? 'refused' : 'ok',
              details: { step: i },
            }),
          );
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size).toBe(5);
        const newest = await store.listAudit({ limit: 2 });
        expect(newest.map((e) => e.id)).toEqual([ids[4], ids[3]]);
        expect(newest[0]).toEqual<AuditEntry>({
          id: ids[4]!,
          at: '2026-11-20T08:04:00.000Z',
          actor,
          action: 'onboard group',
          target: 'Mac users',
          outcome: 'refused',
          details: { step: 4 },
        });
        expect((await store.listAudit({ limit: 10, beforeId: ids[2] })).map((e) => e.id)).toEqual([
          ids[1],
          ids[0],
        ]);
        expect((await store.listAudit({ limit: 10, action: 'onboard.apply' })).map((e) => e.id)).toEqual([
          ids[3],
          ids[1],
        ]);
        expect(
          (await store.listAudit({ limit: 10, action: 'onboard.apply', beforeId: ids[3] })).map((e) => e.id),
        ).toEqual([ids[1]]);
        expect(await store.listAudit({ limit: 0 })).toEqual([]);
        expect(await store.listAudit({ limit: 10, action: 'nothing' })).toEqual([]);
      });

      it('keeps any text a person typed: unicode, quotes, NUL, nested details; no target, no actor name', async () => {
        const details = {
          text: 'ünïcødé 🚀 O\'Brien "quoted" \\ back\u0000slash',
          nested: { list: [1, 'two', null, { deep: true }], empty: {} },
        };
        const id = await store.appendAudit({
          at: '2026-11-20T08:00:00.000Z',
          actor: { teamsUserId: '29:x', aadObjectId: null, name: null },
          action: "check device O'Brien",
          target: null,
          outcome: 'refused',
          details,
        });
        expect(await store.listAudit({ limit: 1 })).toEqual([
          {
            id,
            at: '2026-11-20T08:00:00.000Z',
            actor: { teamsUserId: '29:x', aadObjectId: null, name: null },
            action: "check device O'Brien",
            target: null,
            outcome: 'refused',
            details,
          },
        ]);
      });

      it('gives every one of many concurrent appends its own id', async () => {
        const ids = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            store.appendAudit({
              at: new Date(Date.UTC(2026, 10, 20, 8, 0, i)).toISOString(),
              actor,
              action: 'refresh',
              target: null,
              outcome: 'ok',
              details: { i },
            }),
          ),
        );
        expect(new Set(ids).size).toBe(40);
        const listed = await store.listAudit({ limit: 100 });
        expect(listed).toHaveLength(40);
        expect(listed.map((e) => e.id)).toEqual([...ids].sort((a, b) => b - a));
      });
    });

    describe('scheduled job claims', () => {
      const due = '2026-11-24T10:30:00.000Z';

      it('gives a due time to its first claimer only, whoever asks again', async () => {
        expect(await store.claimJobRun('connector-check', due, 'instance-a')).toBe(true);
        expect(await store.claimJobRun('connector-check', due, 'instance-b')).toBe(false);
        expect(await store.claimJobRun('connector-check', due, 'instance-a')).toBe(false);
      });

      it('keeps jobs and due times apart', async () => {
        expect(await store.claimJobRun('connector-check', due, 'a')).toBe(true);
        expect(await store.claimJobRun('rollout-snapshot', due, 'a')).toBe(true);
        expect(await store.claimJobRun('connector-check', '2026-11-24T10:35:00.000Z', 'b')).toBe(true);
        expect(await store.claimJobRun('rollout-snapshot', due, 'b')).toBe(false);
      });

      it('gives one of many concurrent claimers the due time', async () => {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.claimJobRun('connector-check', due, `instance-${i % 3}`),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('still refuses a recent due time after older claims were pruned', async () => {
        const day = 86_400_000;
        const t0 = Date.parse(due);
        expect(await store.claimJobRun('rollout-snapshot', new Date(t0 - 40 * day).toISOString(), 'a')).toBe(
          true,
        );
        expect(await store.claimJobRun('rollout-snapshot', new Date(t0 - 1 * day).toISOString(), 'a')).toBe(
          true,
        );
        expect(await store.claimJobRun('rollout-snapshot', due, 'a')).toBe(true);
        expect(await store.claimJobRun('rollout-snapshot', new Date(t0 - 1 * day).toISOString(), 'b')).toBe(
          false,
        );
        expect(await store.claimJobRun('rollout-snapshot', due, 'b')).toBe(false);
      });
    });

    describe('onboarding plans', () => {
      const actor = { teamsUserId: '29:alex', aadObjectId: 'aad-alex', name: 'Alex Wilber' };
      const ID = '0b6f4a52-3c1e-4d7a-9e0f-1a2b3c4d5e6f';
      const plan = { steps: [{ number: 1, changes: ['Create “Mac users”'] }], changeCount: 1 };

      it('keeps a plan as given; a plan a week newer drops it', async () => {
        await store.saveOnboardingPlan({
          id: ID,
          createdAt: '2026-11-26T09:00:00.000Z',
          actor,
          target: 'Mac users',
          plan,
        });
        expect(await store.getOnboardingPlan(ID)).toEqual({
          id: ID,
          createdAt: '2026-11-26T09:00:00.000Z',
          actor,
          target: 'Mac users',
          plan,
          status: 'planned',
          updatedAt: '2026-11-26T09:00:00.000Z',
        });
        expect(await store.getOnboardingPlan('nope')).toBeNull();
        await store.saveOnboardingPlan({
          id: 'later',
          createdAt: '2026-12-03T09:00:01.000Z',
          actor,
          target: 'x',
          plan: {},
        });
        expect(await store.getOnboardingPlan(ID)).toBeNull();
        expect(await store.getOnboardingPlan('later')).not.toBeNull();
      });

      it('one Apply at a time: a claim fails while another run holds the plan, unless that run went stale', async () => {
        await store.saveOnboardingPlan({
          id: ID,
          createdAt: '2026-11-26T09:00:00.000Z',
          actor,
          target: 'x',
          plan: {},
        });
        const claim = (at: string, staleBefore: string) =>
          store.claimOnboardingPlan(ID, `2026-11-26T${at}:00.000Z`, `2026-11-26T${staleBefore}:00.000Z`);
        expect(await claim('09:01', '08:51')).toBe(true);
        expect(await claim('09:02', '08:52')).toBe(false);
        expect((await store.getOnboardingPlan(ID))?.status).toBe('running');
        expect(await claim('09:12', '09:02')).toBe(true);
        await store.finishOnboardingPlan(ID, 'failed', '2026-11-26T09:13:00.000Z');
        expect(await store.getOnboardingPlan(ID)).toMatchObject({
          status: 'failed',
          updatedAt: '2026-11-26T09:13:00.000Z',
        });
        expect(await claim('09:14', '09:04')).toBe(true);
        await store.finishOnboardingPlan(ID, 'applied', '2026-11-26T09:15:00.000Z');
        expect(await claim('09:16', '09:06')).toBe(true);
        expect(
          await store.claimOnboardingPlan('other', '2026-11-26T09:16:00.000Z', '2026-11-26T09:06:00.000Z'),
        ).toBe(false);
      });

      it('gives one of several concurrent claims the plan', async () => {
        await store.saveOnboardingPlan({
          id: ID,
          createdAt: '2026-11-26T09:00:00.000Z',
          actor,
          target: 'x',
          plan: {},
        });
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            store.claimOnboardingPlan(ID, '2026-11-26T09:01:00.000Z', '2026-11-26T08:51:00.000Z'),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('welcomes and escalations', () => {
      it('welcomes each person once (a second claim loses), and forgets a welcome on request', async () => {
        const at = '2026-11-26T10:00:00.000Z';
        const claims = await Promise.all([store.claimWelcome('u1', at), store.claimWelcome('u1', at)]);
        expect(claims.sort()).toEqual([false, true]);
        expect(await store.claimWelcome('u2', at)).toBe(true);
        expect(await store.claimWelcome('u1', at)).toBe(false);
        await store.forgetWelcome('u1');
        expect(await store.claimWelcome('u1', at)).toBe(true);
      });

      it('opens at most one escalation per person per day; a failed one does not count', async () => {
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
      });

      it('opens one escalation when a person presses twice at once', async () => {
        const e = {
          userKey: 'u9',
          day: '2026-11-26',
          createdAt: '2026-11-26T09:00:00.000Z',
          userName: null,
          userUpn: null,
        };
        const results = await Promise.all(Array.from({ length: 6 }, () => store.openEscalation(e)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
      });
    });
  });
}

const CHANNEL = {
  conversationId: '19:channel@thread.tacv2',
  scope: 'channel' as const,
  tenantId: 't1',
  teamId: '19:team@thread.tacv2',
  aadObjectId: null,
  reference: {
    activityId: 'f:1',
    user: { id: '29:alex', name: 'Alex Wilber', aadObjectId: 'aad-alex' },
    bot: { id: '28:bot', name: 'Jamf Compliance' },
    conversation: {
      id: '19:channel@thread.tacv2',
      conversationType: 'channel',
      isGroup: true,
      tenantId: 't1',
    },
    channelId: 'msteams',
    locale: 'en-US',
    serviceUrl: 'https://smba.example/amer/',
  },
};

export function snapshot(day: string, percentCompliant = 50): RolloutSnapshot {
  return {
    day,
    takenAt: `${day}T06:00:00.000Z`,
    total: 10,
    applicable: 8,
    byVerdict: { compliant: 4, not_applicable: 2, not_registered: 2 },
    percentCompliant,
    topReasons: [
      { code: 'no_entra_device', label: 'Not registered with Entra ID', count: 3 },
      { code: 'inventory_stale', label: "Inventory isn't recent", count: 1 },
    ],
  };
}
