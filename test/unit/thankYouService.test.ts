import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';
import { newCampaign, recipients } from '../helpers/dispatcherRig';
import { batch, entered, entraCaughtUp, mac, TestClock, thankYouRig } from '../helpers/liveUpdatesRig';

describe('ThankYouService', () => {
  let store: SqliteBotStore;
  let clock: TestClock;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
    clock = new TestClock();
  });
  afterEach(() => store.close());

  it('thanks at once when the change already shows Entra agreeing — once, however often the change repeats', async () => {
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)]));
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)], 2));
    await rig.service.handleFleetChanges(batch(clock, [entraCaughtUp('1')], 3));
    clock.advanceMinutes(5);
    expect(await rig.service.runDueChecks()).toEqual({ checked: 0, confirmed: 0, gaveUp: 0 });
    expect(rig.sent.map((s) => s.to)).toEqual(['u-1']);
    const card = rig.sent[0]!.card;
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).toMatch(/Thank you, Person — your Mac is compliant/);
    expect(cardText(card)).toMatch(
      /\*\*Mac 1\*\* is registered and compliant — you now have access to company apps/,
    );
    expect(await store.getThankYou('1', 'dev-1')).toMatchObject({ state: 'sent', conversationId: 'a:u-1' });
    expect(await store.getThankYouWatch('1')).toBeNull();
  });

  it('thanks in the language of the person’s 1:1 chat (French here)', async () => {
    await store.saveConversation({
      conversationId: 'a:u-1',
      scope: 'personal',
      tenantId: 't',
      teamId: null,
      aadObjectId: 'u-1',
      reference: { conversation: { id: 'a:u-1' } },
      locale: 'fr-FR',
      timeZone: 'Europe/Paris',
      seenAt: clock.now().toISOString(),
    });
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)]));
    const card = rig.sent[0]!.card;
    expect(checkCard(card).problems).toEqual([]);
    expect(card.lang).toBe('fr');
    expect(cardText(card)).toContain('Merci, Person — votre Mac est conforme');
    expect(cardText(card)).not.toContain('Thank you');
  });

  it('waits for Entra: not compliant yet → no card; a later change saying compliant → one card', async () => {
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', false)]));
    expect(rig.sent).toEqual([]);
    clock.advanceMinutes(2);
    expect(await rig.service.runDueChecks()).toEqual({ checked: 1, confirmed: 0, gaveUp: 0 });
    expect(await store.getThankYouWatch('1')).toMatchObject({ attempts: 1 });
    await rig.service.handleFleetChanges(batch(clock, [entraCaughtUp('1')], 2));
    expect(rig.sent.map((s) => s.to)).toEqual(['u-1']);
    clock.advanceMinutes(60);
    await rig.service.runDueChecks();
    await rig.service.handleFleetChanges(batch(clock, [entraCaughtUp('1')], 3));
    expect(rig.sent).toHaveLength(1);
  });

  it('or the re-check with backoff finds Entra agreeing first → one card', async () => {
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', null)]));
    const checks: number[] = [];
    for (let minute = 0; minute < 20; minute++) {
      clock.advanceMinutes(1);
      if (minute === 15) rig.live.set('1', mac('1', { inGroup: true, entraCompliant: true }));
      const r = await rig.service.runDueChecks();
      if (r.checked) checks.push(minute + 1);
    }
    // Checks at 2, 7 (2+5) and 17 (7+10) minutes; compliant from minute 16 → thanked at 17.
    expect(checks).toEqual([2, 7, 17]);
    expect(rig.sent.map((s) => s.to)).toEqual(['u-1']);
  });

  it('a re-check that fails is tried again later, not counted as an answer', async () => {
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', false)]));
    rig.live.set('1', new Error('Jamf Pro unavailable'));
    clock.advanceMinutes(2);
    expect(await rig.service.runDueChecks()).toEqual({ checked: 1, confirmed: 0, gaveUp: 0 });
    rig.live.set('1', mac('1', { inGroup: true, entraCompliant: true }));
    clock.advanceMinutes(5);
    expect(await rig.service.runDueChecks()).toMatchObject({ confirmed: 1 });
    expect(rig.sent).toHaveLength(1);
  });

  it('gives up quietly when Entra never agrees within the window: no card, no watch', async () => {
    const rig = thankYouRig(store, clock, { confirmWithinHours: 2 });
    await rig.service.handleFleetChanges(batch(clock, [entered('1', false)]));
    let gaveUp = 0;
    for (let minute = 0; minute < 180; minute++) {
      clock.advanceMinutes(1);
      gaveUp += (await rig.service.runDueChecks()).gaveUp;
    }
    expect(gaveUp).toBe(1);
    expect(rig.sent).toEqual([]);
    expect(await store.getThankYouWatch('1')).toBeNull();
    // Entra catching up after the window thanks nobody.
    await rig.service.handleFleetChanges(batch(clock, [entraCaughtUp('1')], 2));
    expect(rig.sent).toEqual([]);
  });

  it('a Mac that already was in the group when Entra agreed, with no watch, is not thanked', async () => {
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entraCaughtUp('1')]));
    expect(rig.sent).toEqual([]);
  });

  it('a failed send is recorded and never retried (the claim stands: at most one card)', async () => {
    const rig = thankYouRig(store, clock);
    rig.failSends('blocked (403 ConversationBlockedByUser)');
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)]));
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)], 2));
    expect(rig.sent).toHaveLength(1);
    expect(await store.getThankYou('1', 'dev-1')).toMatchObject({
      state: 'failed',
      detail: 'blocked (403 ConversationBlockedByUser)',
    });
  });

  it('THANK_YOU_CARDS=false: the confirmation is still recorded (campaigns count it), no card', async () => {
    const rig = thankYouRig(store, clock, { thankYou: false });
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)]));
    expect(rig.sent).toEqual([]);
    expect(await store.getThankYou('1', 'dev-1')).toMatchObject({ state: 'off' });
  });

  /** Campaign `campaignId`'s reminder to `recipientId` sent at `at`, as the dispatcher leaves it. */
  const sendReminder = async (campaignId: string, recipientId: string, at: string): Promise<void> => {
    await store.claimOutbox({ owner: 'o', now: at, leaseUntil: clock.now().toISOString(), limit: 1 });
    await store.markSending(campaignId, recipientId, 'o', at);
    await store.finishOutbox(
      campaignId,
      recipientId,
      'o',
      { state: 'sent', conversationId: `a:${recipientId}`, activityId: 'r' },
      at,
    );
  };

  it('credits the campaign that reminded the person in the last 30 days', async () => {
    const [person] = recipients(1);
    const remindedAt = new Date(clock.t - 3 * 86_400_000).toISOString();
    await store.createCampaign(
      newCampaign('c-1', [{ ...person!, recipientId: 'u-1' }], new Date(remindedAt)),
    );
    await sendReminder('c-1', 'u-1', remindedAt);
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true), entered('2', true)]));
    expect(await store.getThankYou('1', 'dev-1')).toMatchObject({ campaignIds: ['c-1'] });
    expect(await store.getThankYou('2', 'dev-2')).toMatchObject({ campaignIds: [] });
    expect(await store.campaignConversions(['c-1'])).toEqual({ 'c-1': 1 });
  });

  it("Entra's confirmation ends the Mac's spell in the compliance history (the campaign funnel counts it)", async () => {
    const [person] = recipients(1);
    const day = 86_400_000;
    const remindedAt = new Date(clock.t - 2 * day).toISOString();
    const since = new Date(clock.t - 5 * day).toISOString();
    await store.recordComplianceObservations([{ jamfId: '1', userId: 'u-1', compliant: false }], since);
    await store.createCampaign(
      newCampaign(
        'c-1',
        [{ ...person!, recipientId: 'u-1', macs: [{ ...person!.macs[0]!, computerId: '1' }] }],
        new Date(remindedAt),
      ),
    );
    await sendReminder('c-1', 'u-1', remindedAt);
    const rig = thankYouRig(store, clock);
    await rig.service.handleFleetChanges(batch(clock, [entered('1', true)]));
    expect((await store.campaignEffectivenessInput('c-1'))!.spells).toEqual([
      { jamfId: '1', userId: 'u-1', since, until: clock.now().toISOString(), ended: 'compliant' },
    ]);
  });

  it('a Mac with no known person is not watched', async () => {
    const rig = thankYouRig(store, clock);
    const change = entered('1', true);
    await rig.service.handleFleetChanges(
      batch(clock, [{ ...change, after: { ...change.after!, user: null } }]),
    );
    expect(rig.sent).toEqual([]);
    expect(await store.getThankYouWatch('1')).toBeNull();
  });
});

describe('ThankYouService: two instances on one SQLite file', () => {
  it('send one card per Mac, whichever sees the change or runs the re-check', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thanks-'));
    const file = path.join(dir, 'bot.sqlite');
    const stores = [SqliteBotStore.open(file), SqliteBotStore.open(file)];
    const clock = new TestClock();
    const [a, b] = stores.map((s) => thankYouRig(s, clock));
    try {
      const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));
      // Half already compliant in the change, half later through the re-check.
      const changes = ids.map((id) => entered(id, Number(id) % 2 === 0));
      await Promise.all([
        a!.service.handleFleetChanges(batch(clock, changes)),
        b!.service.handleFleetChanges(batch(clock, changes)),
        b!.service.handleFleetChanges(batch(clock, changes, 2)),
      ]);
      for (const id of ids) {
        a!.live.set(id, mac(id, { inGroup: true, entraCompliant: true }));
        b!.live.set(id, mac(id, { inGroup: true, entraCompliant: true }));
      }
      clock.advanceMinutes(2);
      await Promise.all([a!.service.runDueChecks(), b!.service.runDueChecks()]);
      await Promise.all([
        a!.service.handleFleetChanges(batch(clock, ids.map(entraCaughtUp), 3)),
        b!.service.handleFleetChanges(batch(clock, ids.map(entraCaughtUp), 3)),
      ]);
      const all = [...a!.sent, ...b!.sent].map((s) => s.to).sort();
      expect(all).toEqual(ids.map((id) => `u-${id}`).sort());
    } finally {
      for (const s of stores) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
