import type { AlertState, AuditEntry, BotStore, RolloutSnapshot } from '../../src/store/botStore';
import type { CampaignRecipient, NewCampaign } from '../../src/store/campaignStore';
import { MIGRATIONS } from '../../src/store/migrations';

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

    it('reports the newest schema version, the last of the one migration list', async () => {
      expect(await store.schemaVersion()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
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

    describe('reminder campaigns', () => {
      it('creates a running campaign with one pending row per recipient, and counts them', async () => {
        const c = await store.createCampaign(campaign('c1', 3));
        expect(c).toMatchObject({ id: 'c1', state: 'running', deadline: '2026-12-01', progressCard: null });
        expect(await store.campaignCounts('c1')).toEqual({
          total: 3,
          pending: 3,
          inFlight: 0,
          sent: 0,
          inDoubt: 0,
          inDoubtReasons: {},
          inDoubtResendable: 0,
          failed: {},
          skipped: {},
        });
        const rows = await store.listOutbox('c1', { limit: 10 });
        expect(rows.map((r) => r.recipient)).toEqual([recipient(0), recipient(1), recipient(2)]);
      });

      it('claims each row once: two owners never get the same row', async () => {
        await store.createCampaign(campaign('c1', 5));
        const a = await claim(store, 'A', 3);
        const b = await claim(store, 'B', 3);
        expect(a.map((r) => r.recipientId)).toEqual(['user-0', 'user-1', 'user-2']);
        expect(b.map((r) => r.recipientId)).toEqual(['user-3', 'user-4']);
        expect(a.every((r) => r.state === 'claimed' && r.leaseOwner === 'A')).toBe(true);
        expect(await claim(store, 'C', 3)).toEqual([]);
      });

      it('pending → claimed → sending → sent; only the owner moves its rows', async () => {
        await store.createCampaign(campaign('c1', 1));
        await claim(store, 'A', 1);
        expect(await store.markSending('c1', 'user-0', 'B', T0)).toBe(false);
        expect(await store.markSending('c1', 'user-0', 'A', T0)).toBe(true);
        expect(await store.markSending('c1', 'user-0', 'A', T0)).toBe(false); // already sending
        expect(
          await store.finishOutbox(
            'c1',
            'user-0',
            'B',
            { state: 'sent', conversationId: 'x', activityId: 'y' },
            T0,
          ),
        ).toBe(false);
        expect(
          await store.finishOutbox(
            'c1',
            'user-0',
            'A',
            { state: 'sent', conversationId: 'a:1', activityId: 'm1' },
            T0,
          ),
        ).toBe(true);
        const [row] = await store.listOutbox('c1', { limit: 1 });
        expect(row).toMatchObject({
          state: 'sent',
          conversationId: 'a:1',
          activityId: 'm1',
          leaseOwner: null,
        });
        // A final row cannot be finished again.
        expect(
          await store.finishOutbox('c1', 'user-0', 'A', { state: 'failed', reason: 'blocked' }, T0),
        ).toBe(false);
        expect(await store.completeCampaignIfDrained('c1', at(1))).toBe(true);
        expect(await store.getCampaign('c1')).toMatchObject({ state: 'done', finishedAt: at(1) });
        expect(await store.completeCampaignIfDrained('c1', at(2))).toBe(false);
      });

      it('failed and skipped rows keep their reason; counts group by reason', async () => {
        await store.createCampaign(campaign('c1', 4));
        await claim(store, 'A', 4);
        await store.markSending('c1', 'user-0', 'A', T0);
        await store.finishOutbox(
          'c1',
          'user-0',
          'A',
          { state: 'failed', reason: 'blocked', detail: '403' },
          T0,
        );
        await store.finishOutbox('c1', 'user-1', 'A', { state: 'skipped', reason: 'now_compliant' }, T0);
        await store.finishOutbox('c1', 'user-2', 'A', { state: 'skipped', reason: 'now_compliant' }, T0);
        expect(await store.campaignCounts('c1')).toMatchObject({
          inFlight: 1,
          failed: { blocked: 1 },
          skipped: { now_compliant: 2 },
        });
        expect(await store.completeCampaignIfDrained('c1', T0)).toBe(false);
      });

      it('a retry goes back to pending and is not claimed before notBefore', async () => {
        await store.createCampaign(campaign('c1', 1));
        await claim(store, 'A', 1);
        await store.markSending('c1', 'user-0', 'A', T0);
        await store.finishOutbox(
          'c1',
          'user-0',
          'A',
          { state: 'pending', notBefore: at(10), attempts: 1 },
          T0,
        );
        expect(await claim(store, 'A', 1, at(5))).toEqual([]);
        const [again] = await claim(store, 'A', 1, at(10));
        expect(again).toMatchObject({ attempts: 1, state: 'claimed' });
      });

      it('after a crash: claimed rows go back to pending, sending rows become in doubt', async () => {
        await store.createCampaign(campaign('c1', 3));
        await claim(store, 'dead', 3);
        await store.markSending('c1', 'user-0', 'dead', T0);
        // Another live instance would wait for the lease; one whose lease has not expired keeps its rows.
        expect(await store.recoverOutbox({ owner: 'B', now: at(10), takeOverAll: false })).toEqual({
          requeued: 0,
          inDoubt: 0,
        });
        expect(await store.recoverOutbox({ owner: 'B', now: at(301), takeOverAll: false })).toEqual({
          requeued: 2,
          inDoubt: 1,
        });
        const rows = await store.listOutbox('c1', { limit: 10 });
        expect(rows.map((r) => r.state)).toEqual(['in_doubt', 'pending', 'pending']);
        expect(rows[0]!.reason).toBe('crashed_mid_send');
        expect(await store.campaignCounts('c1')).toMatchObject({ inDoubt: 1, pending: 2 });
      });

      it('a single instance restarting takes over every row of the previous process at once', async () => {
        await store.createCampaign(campaign('c1', 2));
        await claim(store, 'old', 2);
        await store.markSending('c1', 'user-1', 'old', T0);
        expect(await store.recoverOutbox({ owner: 'new', now: T0, takeOverAll: true })).toEqual({
          requeued: 1,
          inDoubt: 1,
        });
      });

      it('pause stops claims; cancel skips what is pending; a released row of a cancelled campaign is skipped', async () => {
        await store.createCampaign(campaign('c1', 3));
        const [held] = await claim(store, 'A', 1);
        expect(await store.transitionCampaign('c1', ['running'], 'paused', T0)).toBe(true);
        expect(await claim(store, 'A', 5)).toEqual([]);
        expect(await store.transitionCampaign('c1', ['running'], 'paused', T0)).toBe(false);
        expect(await store.transitionCampaign('c1', ['paused'], 'running', T0)).toBe(true);
        expect(await claim(store, 'A', 1)).toHaveLength(1);
        expect(await store.transitionCampaign('c1', ['running', 'paused'], 'cancelled', at(1))).toBe(true);
        await store.releaseOutbox('c1', held!.recipientId, 'A', at(1));
        expect(await store.campaignCounts('c1')).toMatchObject({ inFlight: 1, skipped: { cancelled: 2 } });
        expect(await store.getCampaign('c1')).toMatchObject({ state: 'cancelled', finishedAt: at(1) });
      });

      it('resend to failed: failed rows only, fresh attempts, the campaign runs again', async () => {
        await store.createCampaign(campaign('c1', 2));
        await claim(store, 'A', 2);
        await store.finishOutbox(
          'c1',
          'user-0',
          'A',
          { state: 'failed', reason: 'unavailable', detail: '412 ServiceError' },
          T0,
        );
        await store.finishOutbox(
          'c1',
          'user-1',
          'A',
          { state: 'sent', conversationId: 'a', activityId: 'b' },
          T0,
        );
        await store.completeCampaignIfDrained('c1', T0);
        expect(await store.requeueFailed('c1', at(5))).toBe(1);
        expect(await store.getCampaign('c1')).toMatchObject({ state: 'running', finishedAt: null });
        // Nothing of the failure left on the row it resends.
        expect(
          (await claim(store, 'A', 5, at(5))).map((r) => [r.recipientId, r.reason, r.detail, r.attempts]),
        ).toEqual([['user-0', null, null, 0]]);
      });

      it('an ambiguous send ends in doubt with its reason, counted by reason and resendable once', async () => {
        await store.createCampaign(campaign('c1', 3));
        await claim(store, 'A', 3);
        for (const [id, reason] of [
          ['user-0', 'gateway_error'],
          ['user-1', 'connection_lost'],
        ] as const) {
          await store.markSending('c1', id, 'A', T0);
          expect(
            await store.finishOutbox('c1', id, 'A', { state: 'in_doubt', reason, detail: '502' }, T0),
          ).toBe(true);
        }
        await store.finishOutbox(
          'c1',
          'user-2',
          'A',
          { state: 'sent', conversationId: 'a', activityId: 'b' },
          T0,
        );
        expect(await store.completeCampaignIfDrained('c1', at(1))).toBe(true);
        expect(await store.campaignCounts('c1')).toMatchObject({
          sent: 1,
          inDoubt: 2,
          inDoubtReasons: { gateway_error: 1, connection_lost: 1 },
          inDoubtResendable: 2,
        });
        // Only rows in doubt by what the admin was shown (asOf) go back, once, marked.
        expect(await store.requeueInDoubt('c1', at(-1), at(5))).toBe(0);
        expect(await store.requeueInDoubt('c1', at(2), at(5))).toBe(2);
        expect(await store.requeueInDoubt('c1', at(2), at(6))).toBe(0);
        expect(await store.getCampaign('c1')).toMatchObject({ state: 'running', finishedAt: null });
        const back = await claim(store, 'A', 5, at(7));
        expect(back.map((r) => [r.recipientId, r.state, r.resentAt, r.attempts, r.reason, r.detail])).toEqual(
          [
            ['user-0', 'claimed', at(5), 0, null, null],
            ['user-1', 'claimed', at(5), 0, null, null],
          ],
        );
        // In doubt again after the resend: shown, but never put back a second time.
        await store.markSending('c1', 'user-0', 'A', at(8));
        await store.finishOutbox('c1', 'user-0', 'A', { state: 'in_doubt', reason: 'no_answer' }, at(8));
        expect(await store.campaignCounts('c1')).toMatchObject({
          inDoubt: 1,
          inDoubtReasons: { no_answer: 1 },
          inDoubtResendable: 0,
        });
        expect(await store.requeueInDoubt('c1', at(9), at(9))).toBe(0);
      });

      it('older campaigns are claimed first', async () => {
        await store.createCampaign(campaign('new', 1, at(60)));
        await store.createCampaign(campaign('old', 1, T0));
        expect((await claim(store, 'A', 1, at(61))).map((r) => r.campaignId)).toEqual(['old']);
        expect((await claim(store, 'A', 1, at(61))).map((r) => r.campaignId)).toEqual(['new']);
      });

      it('frequency cap: one reminder per recipient inside the window, across campaigns', async () => {
        expect(await store.reserveReminder('u1', 'c1', T0, at(-86400 * 7))).toBe(true);
        expect(await store.reserveReminder('u1', 'c1', at(1), at(-86400 * 7))).toBe(true); // same campaign
        expect(await store.reserveReminder('u1', 'c2', at(2), at(-86400 * 7))).toBe(false);
        // Outside the window (since is after the first reminder): allowed.
        expect(await store.reserveReminder('u1', 'c3', at(100), at(50))).toBe(true);
        await store.releaseReminder('u1', 'c1');
        await store.releaseReminder('u1', 'c3');
        expect(await store.reserveReminder('u1', 'c2', at(3), at(-86400 * 7))).toBe(true);
      });

      it('schedules are saved, listed and deleted', async () => {
        const s = {
          id: 's1',
          cron: '0 9 * * MON',
          timeZone: 'Europe/Paris',
          audience: 'non-compliant' as const,
          groupName: 'Sales',
          deadlineDays: 7,
          conversationId: '19:c@thread.tacv2',
          createdAt: T0,
          createdBy: actor,
        };
        await store.saveSchedule(s);
        expect(await store.listSchedules()).toEqual([s]);
        expect(await store.deleteSchedule('s1')).toBe(true);
        expect(await store.deleteSchedule('s1')).toBe(false);
      });

      it('finds a user’s personal conversation by Entra object id', async () => {
        await store.saveConversation({
          conversationId: 'a:1',
          scope: 'personal',
          tenantId: 't',
          teamId: null,
          aadObjectId: 'oid-1',
          reference: { conversation: { id: 'a:1' } },
          seenAt: T0,
        });
        expect(await store.findPersonalConversation('oid-1')).toEqual({
          conversationId: 'a:1',
          reference: { conversation: { id: 'a:1' } },
        });
        expect(await store.findPersonalConversation('oid-2')).toBeNull();
      });

      it('keeps a personal chat’s locale and time zone, and a save without them does not forget them', async () => {
        const chat = {
          conversationId: 'a:2',
          scope: 'personal' as const,
          tenantId: 't',
          teamId: null,
          aadObjectId: 'oid-3',
          reference: { conversation: { id: 'a:2' } },
        };
        await store.saveConversation({ ...chat, locale: 'de-DE', timeZone: 'Europe/Berlin', seenAt: T0 });
        expect(await store.findPersonalConversation('oid-3')).toEqual({
          conversationId: 'a:2',
          reference: chat.reference,
          locale: 'de-DE',
          timeZone: 'Europe/Berlin',
        });
        // A proactive send re-saves the chat without a client's locale: what was known stays.
        await store.saveConversation({ ...chat, seenAt: '2026-11-21T00:00:00.000Z' });
        expect(await store.getConversation('a:2')).toMatchObject({
          locale: 'de-DE',
          timeZone: 'Europe/Berlin',
        });
        await store.saveConversation({ ...chat, locale: 'ja-JP', seenAt: '2026-11-22T00:00:00.000Z' });
        expect(await store.findPersonalConversation('oid-3')).toMatchObject({
          locale: 'ja-JP',
          timeZone: 'Europe/Berlin',
        });
      });

      it('claims each row once when several instances claim at the same moment', async () => {
        await store.createCampaign(campaign('c1', 60));
        const batches = await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((o) => claim(store, o, 15)));
        const ids = batches.flat().map((r) => r.recipientId);
        expect(ids).toHaveLength(60);
        expect(new Set(ids).size).toBe(60);
        expect(await claim(store, 'G', 5)).toEqual([]);
      });

      it('renews the leases an owner holds, so a live instance keeps its rows past the first lease', async () => {
        await store.createCampaign(campaign('c1', 3));
        await claim(store, 'A', 2);
        await store.markSending('c1', 'user-1', 'A', T0);
        await claim(store, 'B', 1);
        const held = [
          { campaignId: 'c1', recipientId: 'user-0' },
          { campaignId: 'c1', recipientId: 'user-1' },
          // B's row: never renewed for A.
          { campaignId: 'c1', recipientId: 'user-2' },
        ];
        expect(await store.renewLeases('A', held, at(900), at(200))).toBe(2);
        expect(await store.recoverOutbox({ owner: 'C', now: at(400), takeOverAll: false })).toEqual({
          requeued: 1,
          inDoubt: 0,
        });
        const rows = await store.listOutbox('c1', { limit: 10 });
        expect(rows.map((r) => [r.state, r.leaseOwner, r.leaseUntil])).toEqual([
          ['claimed', 'A', at(900)],
          ['sending', 'A', at(900)],
          ['pending', null, null],
        ]);
      });

      it('renews only the rows the instance still holds: a row it gave up on lets its lease run out', async () => {
        await store.createCampaign(campaign('c1', 2));
        await claim(store, 'A', 2);
        await store.markSending('c1', 'user-0', 'A', T0);
        await store.markSending('c1', 'user-1', 'A', T0);
        // user-0's outcome could not be written: A no longer holds it in memory.
        expect(
          await store.renewLeases('A', [{ campaignId: 'c1', recipientId: 'user-1' }], at(900), at(200)),
        ).toBe(1);
        expect(await store.renewLeases('A', [], at(900), at(200))).toBe(0);
        expect(await store.recoverOutbox({ owner: 'A', now: at(400), takeOverAll: false })).toEqual({
          requeued: 0,
          inDoubt: 1,
        });
        const rows = await store.listOutbox('c1', { limit: 10 });
        expect(rows.map((r) => [r.recipientId, r.state, r.leaseOwner])).toEqual([
          ['user-0', 'in_doubt', null],
          ['user-1', 'sending', 'A'],
        ]);
      });

      it('keeps a campaign exactly: actor, deadline, progress card, listed newest first', async () => {
        await store.createCampaign(campaign('b', 1, T0));
        await store.createCampaign(campaign('a', 1, T0));
        await store.createCampaign(campaign('c', 1, at(5)));
        await store.setProgressCard('a', { conversationId: '19:c@thread.tacv2', activityId: 'p1' });
        expect(await store.getCampaign('a')).toEqual({
          id: 'a',
          createdAt: T0,
          createdBy: actor,
          audience: 'all',
          groupName: null,
          deadline: '2026-12-01',
          state: 'running',
          scheduleId: null,
          progressCard: { conversationId: '19:c@thread.tacv2', activityId: 'p1' },
          updatedAt: T0,
          finishedAt: null,
        });
        expect((await store.listCampaigns({ limit: 10 })).map((c) => c.id)).toEqual(['c', 'b', 'a']);
        expect(await store.getCampaign('nope')).toBeNull();
        const page = await store.listOutbox('c', { limit: 10, afterSeq: 0 });
        expect(page).toEqual([]);
        expect(await store.listOutbox('c', { limit: 10, states: ['sent'] })).toEqual([]);
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

    describe('device-card fixes under idempotency keys (migration 11)', () => {
      const KEY = '5b0d7f0e-2f3c-4a55-9e2b-0c1d2e3f4a5b';
      const fix = {
        key: KEY,
        kind: 'wake' as const,
        computerId: '15',
        macName: 'Patti’s iMac',
        request: {
          service: 'Jamf Pro' as const,
          method: 'POST' as const,
          path: '/api/v2/mdm/blank-push',
          body: { clientManagementIds: ['fd68c371-5921-436e-b16b-8a3c1bf90ee5'] },
          params: { managementId: 'fd68c371-5921-436e-b16b-8a3c1bf90ee5' },
        },
        createdAt: '2026-11-26T09:00:00.000Z',
        createdBy: { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' },
      };

      it('round-trips a planned fix, claims it once (of several at once), and keeps its result', async () => {
        await store.saveRemediation(fix);
        expect(await store.getRemediation(KEY)).toEqual({
          ...fix,
          state: 'planned',
          result: null,
          updatedAt: fix.createdAt,
        });
        expect(await store.getRemediation('nothing')).toBeNull();
        const claims = await Promise.all(
          Array.from({ length: 6 }, () => store.claimRemediation(KEY, '2026-11-26T09:01:00.000Z')),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect((await store.getRemediation(KEY))?.state).toBe('running');
        const result = {
          outcome: 'failed' as const,
          status: 403,
          message: 'Jamf Pro refused it (403 Forbidden).',
        };
        await store.finishRemediation(KEY, result, '2026-11-26T09:02:00.000Z');
        expect(await store.getRemediation(KEY)).toMatchObject({
          state: 'failed',
          result,
          updatedAt: '2026-11-26T09:02:00.000Z',
        });
        // Finished: never claimed again.
        expect(await store.claimRemediation(KEY, '2026-11-26T09:03:00.000Z')).toBe(false);
      });

      it('drops fixes planned more than a week before a new one', async () => {
        await store.saveRemediation(fix);
        await store.saveRemediation({
          ...fix,
          key: '6c1e8a1f-3a4d-4b66-8f3c-1d2e3f4a5b6c',
          createdAt: '2026-12-05T09:00:00.000Z',
        });
        expect(await store.getRemediation(KEY)).toBeNull();
      });
    });

    describe('batch fixes from the rollout card (migration 13)', () => {
      const actor = { teamsUserId: '29:a', aadObjectId: 'a', name: 'Alex' };
      const mac = (id: string) => ({ computerId: id, name: `Mac ${id}` });
      const batch = (id: string, items = [[mac('1')], [mac('2')], [mac('3')]]) => ({
        id,
        kind: 'recalculate' as const,
        createdAt: '2026-12-07T09:00:00.000Z',
        createdBy: actor,
        items,
        card: null,
      });
      const at = (min: number) => `2026-12-07T09:${String(min).padStart(2, '0')}:00.000Z`;
      const claim = (owner: string, now: string, limit = 1) =>
        store.claimBatchItems({ owner, now, leaseUntil: at(Number(now.slice(14, 16)) + 5), limit });
      /** A planned batch, confirmed. */
      const started = async (b: ReturnType<typeof batch>) => {
        await store.createBatch(b);
        expect(await store.startBatch(b.id, actor, null)).toBe(true);
      };
      const result = (batchId: string, outcome = 'done') => ({
        at: at(3),
        actor,
        action: 'rollout.batch',
        target: batchId,
        outcome,
        details: { batchId },
      });

      it('stores a batch planned once per id, with its items; Confirm starts it once, with its card', async () => {
        const first = await store.createBatch({
          ...batch('b-00000001'),
          card: { conversationId: 'c0', activityId: 'a0' },
        });
        expect(first.created).toBe(true);
        expect(first.batch).toEqual({
          id: 'b-00000001',
          kind: 'recalculate',
          createdAt: '2026-12-07T09:00:00.000Z',
          createdBy: actor,
          state: 'planned',
          macs: 3,
          items: 3,
          progressCard: { conversationId: 'c0', activityId: 'a0' },
          finishedAt: null,
        });
        const again = await Promise.all([
          store.createBatch(batch('b-00000001')),
          store.createBatch(batch('b-00000001')),
        ]);
        expect(again.map((r) => r.created)).toEqual([false, false]);
        // Planned: nothing is claimed, it is not running.
        expect(await claim('w1', at(1), 10)).toEqual([]);
        expect(await store.listRunningBatches()).toEqual([]);
        expect(await store.batchProgress('b-00000001', 10)).toMatchObject({
          done: 0,
          failed: 0,
          remaining: 3,
        });
        // Confirm pressed twice at once: one start; the confirmer and the card are recorded.
        const confirmer = { teamsUserId: '29:b', aadObjectId: 'b', name: 'Bo' };
        const starts = await Promise.all([
          store.startBatch('b-00000001', confirmer, { conversationId: 'c1', activityId: 'a1' }),
          store.startBatch('b-00000001', confirmer, { conversationId: 'c1', activityId: 'a1' }),
        ]);
        expect(starts.filter(Boolean)).toHaveLength(1);
        expect(await store.getBatch('b-00000001')).toMatchObject({
          state: 'running',
          createdBy: confirmer,
          progressCard: { conversationId: 'c1', activityId: 'a1' },
        });
        expect(await store.cancelBatch('b-00000001', at(2))).toBe(false);
        expect(await store.startBatch('b-99999999', actor, null)).toBe(false);
        expect(await store.getBatch('b-99999999')).toBeNull();
        expect((await store.listRunningBatches()).map((b) => b.id)).toEqual(['b-00000001']);
      });

      it('cancels a planned batch once (never started after); prunes unconfirmed planned batches after a day', async () => {
        await store.createBatch(batch('b-0000000c'));
        expect(await store.cancelBatch('b-0000000c', at(1))).toBe(true);
        expect(await store.cancelBatch('b-0000000c', at(1))).toBe(false);
        expect(await store.startBatch('b-0000000c', actor, null)).toBe(false);
        expect(await store.getBatch('b-0000000c')).toMatchObject({ state: 'cancelled', finishedAt: at(1) });
        expect(await claim('w1', at(2), 10)).toEqual([]);
        await store.createBatch(batch('b-0000000d'));
        // A day and a bit later, the next confirm step prunes the unconfirmed one (not the cancelled one yet).
        await store.createBatch({ ...batch('b-0000000e'), createdAt: '2026-12-08T10:00:00.000Z' });
        expect(await store.getBatch('b-0000000d')).toBeNull();
        expect(await store.batchProgress('b-0000000d', 10)).toBeNull();
        expect(await store.getBatch('b-0000000c')).not.toBeNull();
        expect(await store.getBatch('b-0000000e')).toMatchObject({ state: 'planned' });
      });

      it('claims each item once among many claimers, records outcomes, and completes the batch once', async () => {
        await started(batch('b-00000002'));
        const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => claim(`w${i}`, at(1))));
        const got = claims.flat();
        expect(got.map((i) => i.seq).sort()).toEqual([0, 1, 2]);
        expect(got[0]).toMatchObject({ batchId: 'b-00000002', kind: 'recalculate', attempts: 1 });
        const owners = claims.map((c, i) => (c.length ? `w${i}` : null));
        for (const item of got) {
          const owner = owners[claims.findIndex((c) => c.includes(item))]!;
          expect(
            await store.finishBatchItem(
              item.batchId,
              item.seq,
              'someone-else',
              { done: 1, failures: [] },
              at(2),
            ),
          ).toBe(false);
          const failures =
            item.seq === 1 ? [{ ...mac('2'), status: 404, message: 'Jamf Pro answered 404 Not Found.' }] : [];
          expect(
            await store.finishBatchItem(
              item.batchId,
              item.seq,
              owner,
              { done: failures.length ? 0 : 1, failures },
              at(2),
            ),
          ).toBe(true);
        }
        expect(await store.batchProgress('b-00000002', 10)).toMatchObject({
          done: 2,
          failed: 1,
          remaining: 0,
          failures: [
            { computerId: '2', name: 'Mac 2', status: 404, message: 'Jamf Pro answered 404 Not Found.' },
          ],
        });
        // Completion and its audit entry are one step: one of two concurrent calls, one entry.
        const completes = await Promise.all([
          store.completeBatchIfDrained('b-00000002', at(3), result('b-00000002', 'partly_failed')),
          store.completeBatchIfDrained('b-00000002', at(3), result('b-00000002', 'partly_failed')),
        ]);
        expect(completes.filter(Boolean)).toHaveLength(1);
        expect(await store.getBatch('b-00000002')).toMatchObject({ state: 'done', finishedAt: at(3) });
        const audit = (await store.listAudit({ limit: 10, action: 'rollout.batch' })).filter(
          (e) => e.target === 'b-00000002',
        );
        expect(audit).toMatchObject([
          { outcome: 'partly_failed', at: at(3), details: { batchId: 'b-00000002' } },
        ]);
        expect(await claim('w9', at(4), 10)).toEqual([]);
      });

      it('a 401/403 fails every pending item of the batch with one message, leaving claimed ones to their owner', async () => {
        await started(batch('b-0000000f', [[mac('1')], [mac('2'), mac('3')], [mac('4')]]));
        await store.createBatch(batch('b-0000000a', [[mac('9')]]));
        const [held] = await claim('w1', at(1));
        const failure = { status: 403, message: 'Jamf Pro refused it (403 Forbidden).' };
        expect(await store.failPendingBatchItems('b-0000000f', failure, at(2))).toBe(2);
        expect(await store.failPendingBatchItems('b-0000000f', { message: 'again' }, at(2))).toBe(0);
        expect(await store.batchProgress('b-0000000f', 10)).toMatchObject({
          done: 0,
          failed: 3,
          remaining: 1,
          failures: [
            { ...mac('2'), ...failure },
            { ...mac('3'), ...failure },
            { ...mac('4'), ...failure },
          ],
        });
        await store.finishBatchItem(held!.batchId, held!.seq, 'w1', { done: 1, failures: [] }, at(2));
        expect(await store.completeBatchIfDrained('b-0000000f', at(3), result('b-0000000f'))).toBe(true);
        // Another batch is untouched; a failure without a status records none.
        expect(await store.batchProgress('b-0000000a', 10)).toMatchObject({ remaining: 1 });
        expect(await store.failPendingBatchItems('b-0000000a', { message: 'No rights.' }, at(4))).toBe(1);
        expect((await store.batchProgress('b-0000000a', 10))?.failures).toEqual([
          { ...mac('9'), message: 'No rights.' },
        ]);
      });

      it('a batch with items left is not complete; a retried item waits until it is due', async () => {
        await started(batch('b-00000003', [[mac('1')]]));
        const [item] = await claim('w1', at(1));
        expect(await store.completeBatchIfDrained('b-00000003', at(1), result('b-00000003'))).toBe(false);
        expect(
          (await store.listAudit({ limit: 10, action: 'rollout.batch' })).filter(
            (e) => e.target === 'b-00000003',
          ),
        ).toEqual([]);
        expect(await store.retryBatchItem(item!.batchId, item!.seq, 'w1', at(5))).toBe(true);
        expect(await claim('w2', at(4))).toEqual([]);
        const [again] = await claim('w2', at(5));
        expect(again).toMatchObject({ seq: 0, attempts: 2 });
      });

      it('takes back a dead instance’s items: all at once for a single instance, else once the lease expired', async () => {
        await started(batch('b-00000004', [[mac('1')], [mac('2')]]));
        await claim('dead', at(1), 2);
        // Another live instance: the leases (until 09:06) still hold.
        expect(await store.recoverBatchItems({ owner: 'me', now: at(2), takeOverAll: false })).toBe(0);
        expect(await claim('me', at(2))).toEqual([]);
        // Renewed by its owner while it lives.
        expect(await store.renewBatchLeases('dead', at(8))).toBe(2);
        expect(await claim('me', at(7))).toEqual([]);
        // Expired: a claim takes it over directly.
        expect((await claim('me', at(9))).map((i) => i.seq)).toEqual([0]);
        // The only instance after a restart: everything not its own goes back to pending.
        expect(await store.recoverBatchItems({ owner: 'me', now: at(9), takeOverAll: true })).toBe(1);
        expect((await claim('me', at(9))).map((i) => i.seq)).toEqual([1]);
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

    describe('campaign effectiveness: compliance spells and Check again (issue 19)', () => {
      const day = (d: number) => at(Math.round(d * 86_400));
      const obs = (jamfId: string, userId: string | null, compliant: boolean, turnedCompliant = false) => ({
        jamfId,
        userId,
        compliant,
        turnedCompliant,
      });
      /** The dispatcher's path for each row: claimed, sending, then sent (activity `act-i`) or failed. */
      async function send(id: string, sentTo: number[], when: number) {
        const rows = await store.claimOutbox({
          owner: 'A',
          now: day(when),
          leaseUntil: day(when + 1),
          limit: 100,
        });
        for (const r of rows) {
          const i = Number(r.recipientId.slice('user-'.length));
          await store.markSending(id, r.recipientId, 'A', day(when));
          await store.finishOutbox(
            id,
            r.recipientId,
            'A',
            sentTo.includes(i)
              ? { state: 'sent', conversationId: `a:${i}`, activityId: `act-${i}` }
              : { state: 'failed', reason: 'blocked' },
            day(when),
          );
        }
      }

      it('records spells on changes and Check again once, and gives the funnel what it needs', async () => {
        await store.recordComplianceObservations(
          [
            obs('0', 'user-0', false),
            obs('1', 'user-1', false),
            obs('2', 'user-2', false),
            obs('x', 'user-9', false),
            obs('y', 'user-8', false),
          ],
          day(-5),
        );
        // Seen again: still one open spell each.
        await store.recordComplianceObservations([obs('0', 'user-0', false)], day(-4));
        // user-8 was reminded by another campaign just before: not the baseline.
        await store.reserveReminder('user-8', 'c-other', day(-3), day(-30));
        await store.createCampaign(campaign('c1', 3));
        await send('c1', [0, 1], 0.1);

        expect(await store.recordReminderCheck('user-0', { activityId: 'act-0' }, day(0.2))).toBe('c1');
        expect(await store.recordReminderCheck('user-0', { campaignId: 'c1' }, day(0.3))).toBe('c1');
        expect(
          await store.recordReminderCheck('user-2', { campaignId: 'c1', activityId: 'act-2' }, day(0.3)),
        ).toBeNull();
        expect(
          await store.recordReminderCheck('user-1', { campaignId: null, activityId: 'act-0' }, day(0.3)),
        ).toBeNull();

        await store.recordComplianceObservations([obs('0', 'user-0', true)], day(0.5));
        await store.recordComplianceObservations([obs('1', 'user-1', true, true)], day(2));
        await store.recordComplianceObservations(
          [obs('2', 'user-2', true), obs('x', 'user-9', true)],
          day(4),
        );
        // Compliant with no open spell and no turn seen: nothing to record.
        await store.recordComplianceObservations([obs('q', 'user-5', true)], day(4));

        const input = (await store.campaignEffectivenessInput('c1'))!;
        expect(input.startedAt).toBe(T0);
        expect(input.recipients).toEqual([
          { recipientId: 'user-0', state: 'sent', remindedAt: day(0.1), macIds: ['0'], checkedAt: day(0.2) },
          { recipientId: 'user-1', state: 'sent', remindedAt: day(0.1), macIds: ['1'], checkedAt: null },
          { recipientId: 'user-2', state: 'failed', remindedAt: null, macIds: ['2'], checkedAt: null },
        ]);
        const spells = [...input.spells].sort((a, b) => a.jamfId.localeCompare(b.jamfId));
        expect(spells).toEqual([
          { jamfId: '0', userId: 'user-0', since: day(-5), until: day(0.5), ended: 'compliant' },
          { jamfId: '1', userId: 'user-1', since: day(-5), until: day(2), ended: 'compliant' },
          { jamfId: '2', userId: 'user-2', since: day(-5), until: day(4), ended: 'compliant' },
          { jamfId: 'x', userId: 'user-9', since: day(-5), until: day(4), ended: 'compliant' },
          { jamfId: 'y', userId: 'user-8', since: day(-5), until: null, ended: null },
        ]);
        expect(input.remindedNearby).toEqual(['user-8']);
        expect(await store.campaignEffectivenessInput('c-nope')).toBeNull();
      });

      it('the daily snapshot closes the spells of Macs that left; old closed spells are pruned', async () => {
        await store.recordComplianceObservations(
          [obs('y', 'user-8', false), obs('z', 'user-7', false)],
          day(-5),
        );
        // A turn seen with no open spell: a spell that ends as it starts.
        await store.recordComplianceObservations([obs('t', 'user-6', true, true)], day(-5));
        await store.recordComplianceObservations([obs('y', 'user-8', false)], day(-1), { wholeFleet: true });
        await store.createCampaign(campaign('c2', 1));
        // z left the fleet before the start, so only y (still open) is a baseline candidate.
        expect((await store.campaignEffectivenessInput('c2'))!.spells).toEqual([
          { jamfId: 'y', userId: 'user-8', since: day(-5), until: null, ended: null },
        ]);
        await store.recordComplianceObservations([obs('y', 'user-8', true)], day(0.5));
        await send('c2', [0], 0.1);
        await store.recordComplianceObservations([obs('0', 'user-0', false)], day(0.2));
        await store.recordComplianceObservations([obs('0', 'user-0', true)], day(1));
        expect((await store.campaignEffectivenessInput('c2'))!.spells).toHaveLength(2);
        // Half a year later (the daily snapshot prunes) every closed spell is gone.
        await store.recordComplianceObservations([], day(400), { wholeFleet: true });
        expect((await store.campaignEffectivenessInput('c2'))!.spells).toEqual([]);
      });

      it('a backfill moves a later open spell back to the older observation, and only with the option', async () => {
        // The daily snapshot saw both Macs not compliant today; older history arrives afterwards.
        await store.recordComplianceObservations(
          [obs('b', 'user-3', false), obs('n', 'user-4', false)],
          day(1),
        );
        await store.recordComplianceObservations([obs('b', 'user-3', false)], day(-6), { backfill: true });
        await store.recordComplianceObservations([obs('n', 'user-4', false)], day(-6));
        // An open spell that started earlier stays as it is.
        await store.recordComplianceObservations([obs('b', 'user-3', false)], day(-4), { backfill: true });
        await store.createCampaign(campaign('c3', 1, day(2)));
        const spells = [...(await store.campaignEffectivenessInput('c3'))!.spells].sort((a, b) =>
          a.jamfId.localeCompare(b.jamfId),
        );
        expect(spells).toEqual([
          { jamfId: 'b', userId: 'user-3', since: day(-6), until: null, ended: null },
          { jamfId: 'n', userId: 'user-4', since: day(1), until: null, ended: null },
        ]);
      });
    });
  });
}

const T0 = '2026-11-20T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const actor = { teamsUserId: '29:admin', aadObjectId: 'admin-oid', name: 'Admin' };
const recipient = (i: number): CampaignRecipient => ({
  recipientId: `user-${i}`,
  name: `User ${i}`,
  upn: `user${i}@example.com`,
  macs: [{ computerId: String(i), name: `Mac ${i}`, serialNumber: `C02${i}`, verdict: 'not_registered' }],
});
/** A campaign of `n` recipients, as the bot creates it. */
export const campaign = (id: string, n: number, createdAt = T0): NewCampaign => ({
  id,
  createdAt,
  createdBy: actor,
  audience: 'all',
  groupName: null,
  deadline: '2026-12-01',
  scheduleId: null,
  recipients: Array.from({ length: n }, (_, i) => recipient(i)),
});
/** Claims up to `limit` rows for `owner`, leased until T0 + 300 s. */
export const claim = (store: BotStore, owner: string, limit: number, now = T0) =>
  store.claimOutbox({ owner, now, leaseUntil: at(300), limit });

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
