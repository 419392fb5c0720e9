import type { DropEpisode, ThankYouWatch } from '../../src/compliance/liveUpdateTypes';
import type { BotStore } from '../../src/store/botStore';
import { newCampaign, recipientId, recipients } from '../helpers/dispatcherRig';

/**
 * The thank-you and drop-alert ports (issue 22), written once and run against SQLite
 * (test/unit/liveUpdateStore.test.ts) and PostgreSQL (test/postgres/liveUpdates.test.ts).
 */
export function describeLiveUpdateStoreConformance(name: string, openStore: () => Promise<BotStore>): void {
  describe(`live update store: ${name}`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const T0 = '2026-12-01T10:00:00.000Z';
    const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
    const watch = (jamfId: string, over: Partial<ThankYouWatch> = {}): ThankYouWatch => ({
      jamfId,
      recipientId: recipientId(Number(jamfId)),
      recipientName: 'Alex Wilber',
      recipientUpn: 'alex@contoso.com',
      macName: `Mac ${jamfId}`,
      locale: null,
      enteredAt: T0,
      giveUpAt: at(24 * 60),
      nextCheckAt: at(2),
      attempts: 0,
      ...over,
    });

    it('watches a Mac once; due watches are leased to one claimer until rescheduled', async () => {
      expect(await store.watchThankYou(watch('1'))).toBe(true);
      expect(await store.watchThankYou(watch('1', { macName: 'other' }))).toBe(false);
      expect(await store.getThankYouWatch('1')).toEqual(watch('1'));
      await store.watchThankYou(watch('2', { nextCheckAt: at(30) }));
      const claim = (owner: string, now: string) =>
        store.claimDueThankYouWatches({ owner, now, leaseUntil: at(10), limit: 10 });
      expect(await claim('a', at(1))).toEqual([]);
      expect((await claim('a', at(3))).map((w) => w.jamfId)).toEqual(['1']);
      expect(await claim('b', at(4))).toEqual([]);
      // A lease that ran out (the claimer died) is taken over.
      expect((await claim('b', at(11))).map((w) => w.jamfId)).toEqual(['1']);
      await store.rescheduleThankYouWatch('1', at(15), 1);
      expect(await store.getThankYouWatch('1')).toEqual(watch('1', { nextCheckAt: at(15), attempts: 1 }));
      expect((await claim('a', at(31))).map((w) => w.jamfId).sort()).toEqual(['1', '2']);
      await store.endThankYouWatch('1');
      expect(await store.getThankYouWatch('1')).toBeNull();
    });

    it('claims a thank-you once per Mac (whatever its Entra device), crediting campaigns whose reminder was sent lately', async () => {
      const [person] = recipients(1, 7);
      // c-old reminded the person long ago, c-new lately, c-skip skipped them: only c-new counts.
      for (const [id, created] of [
        ['c-old', '2026-10-01T09:00:00.000Z'],
        ['c-new', '2026-11-25T09:00:00.000Z'],
        ['c-skip', '2026-11-26T09:00:00.000Z'],
      ] as const) {
        await store.createCampaign(newCampaign(id, [person!], new Date(created)));
        const [row] = await store.claimOutbox({ owner: 'o', now: created, leaseUntil: at(60), limit: 5 });
        expect(row?.campaignId).toBe(id);
        await store.markSending(id, person!.recipientId, 'o', created);
        await store.finishOutbox(
          id,
          person!.recipientId,
          'o',
          id === 'c-skip'
            ? { state: 'skipped', reason: 'now_compliant' }
            : { state: 'sent', conversationId: 'a:1', activityId: 'x' },
          created,
        );
      }
      const claim = {
        jamfId: '7',
        entraDeviceId: 'dev-7',
        recipientId: person!.recipientId,
        macName: 'Mac 7',
        confirmedAt: T0,
        state: 'claimed' as const,
      };
      const since = '2026-11-01T10:00:00.000Z';
      const first = await store.claimThankYou(claim, since);
      expect(first).toEqual({
        ...claim,
        campaignIds: ['c-new'],
        detail: null,
        conversationId: null,
        activityId: null,
      });
      expect(await store.claimThankYou({ ...claim, confirmedAt: at(5) }, since)).toBeNull();
      // A re-registered Mac (another Entra device) is the same Mac: no second thank-you.
      expect(await store.claimThankYou({ ...claim, entraDeviceId: 'dev-7b' }, since)).toBeNull();
      expect(await store.campaignConversions(['c-new', 'c-old', 'c-none'])).toEqual({
        'c-new': 1,
        'c-old': 0,
        'c-none': 0,
      });

      await store.finishThankYou('7', 'dev-7', { state: 'sent', conversationId: 'a:7', activityId: 'act-7' });
      expect(await store.getThankYou('7', 'dev-7')).toMatchObject({
        state: 'sent',
        conversationId: 'a:7',
        activityId: 'act-7',
        campaignIds: ['c-new'],
      });
      expect(await store.getThankYou('7', 'dev-7b')).toBeNull();
      expect(await store.getThankYou('8', 'dev-8')).toBeNull();
    });

    it('keeps one drop per Mac (the later time, a name once known) and forgets old ones', async () => {
      await store.recordDrops(
        [
          { jamfId: '1', name: null, at: at(1) },
          { jamfId: '2', name: 'Mac B', at: at(2) },
          { jamfId: '1', name: null, at: at(0) },
        ],
        at(-30),
      );
      await store.recordDrops([{ jamfId: '1', name: 'Mac A', at: at(0) }], at(-30));
      expect(await store.dropWindow(at(0), 10)).toEqual({
        count: 2,
        names: ['Mac A', 'Mac B'],
        firstAt: at(1),
        lastAt: at(2),
      });
      await store.recordDrops([{ jamfId: '3', name: null, at: at(3) }], at(-30));
      expect((await store.dropWindow(at(0), 10)).names).toEqual(['Mac A', 'Mac B', 'Jamf computer 3']);
      expect(await store.dropWindow(at(2), 1)).toEqual({
        count: 2,
        names: ['Mac B'],
        firstAt: at(2),
        lastAt: at(3),
      });
      await store.recordDrops([], at(2));
      expect((await store.dropWindow(at(-60), 10)).count).toBe(2);
    });

    it('opens one drop episode by compare-and-set, and lets one writer update its card per minute', async () => {
      const episode = (id: string, over: Partial<DropEpisode> = {}): DropEpisode => ({
        id,
        since: at(0),
        openedAt: at(1),
        lastDropAt: at(1),
        card: null,
        cardCount: 30,
        cardUpdatedAt: at(1),
        ...over,
      });
      expect(await store.getDropEpisode()).toBeNull();
      expect(await store.openDropEpisode(episode('e1'), null)).toBe(true);
      expect(await store.openDropEpisode(episode('e1-bis'), null)).toBe(false);
      expect(await store.getDropEpisode()).toEqual(episode('e1'));
      // No card yet: nothing to update.
      expect(await store.claimDropCardUpdate('e1', 40, at(3), at(2))).toBe(false);
      await store.setDropEpisodeCard('e1', { conversationId: '19:admin', activityId: 'a1' }, 30, at(1));
      await store.extendDropEpisode('e1', at(4));
      await store.extendDropEpisode('e1', at(2));
      expect(await store.getDropEpisode()).toMatchObject({ lastDropAt: at(4), card: { activityId: 'a1' } });
      expect(await store.claimDropCardUpdate('e1', 40, at(1.5), at(0.5))).toBe(false); // written after notSince
      expect(await store.claimDropCardUpdate('e1', 40, at(2), at(1))).toBe(true);
      expect(await store.claimDropCardUpdate('e1', 41, at(2.5), at(1.5))).toBe(false);
      expect(await store.claimDropCardUpdate('e1', 40, at(9), at(8))).toBe(false); // shows that already
      expect(await store.claimDropCardUpdate('e1', -40, at(9), at(8))).toBe(true);
      // The next episode replaces this one only if it is still this one.
      expect(await store.openDropEpisode(episode('e2', { since: at(30) }), 'e0')).toBe(false);
      expect(await store.openDropEpisode(episode('e2', { since: at(30) }), 'e1')).toBe(true);
      expect(await store.getDropEpisode()).toEqual(episode('e2', { since: at(30) }));
      expect(await store.claimDropCardUpdate('e1', 50, at(40), at(39))).toBe(false);
    });
  });
}
