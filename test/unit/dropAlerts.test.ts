import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';
import { batch, dropRig, left, TestClock } from '../helpers/liveUpdatesRig';
import { COMPLIANCE } from './complianceFixtures';

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));
const membership = (clock: TestClock, removed: string[], groupName = COMPLIANCE.groupName) => ({
  groupId: COMPLIANCE.groupId,
  groupName,
  added: [],
  removed,
  at: clock.now(),
});

describe('DropAlerts', () => {
  let store: SqliteBotStore;
  let clock: TestClock;
  beforeEach(() => {
    store = SqliteBotStore.open(':memory:');
    clock = new TestClock();
  });
  afterEach(() => store.close());

  it('a burst of 100 leaves → one card, updated in place at most once a minute, then ended; the next burst → a second card', async () => {
    const rig = dropRig(store, clock);
    // Below the threshold: nothing.
    await rig.alerts.handleFleetChanges(batch(clock, ids(1, 24).map(left)));
    expect(rig.posts).toEqual([]);
    // The 25th Mac inside 15 minutes opens the episode; the rest of the burst follows in pieces.
    clock.advanceMinutes(1);
    await rig.alerts.handleFleetChanges(batch(clock, [left('25')]));
    expect(rig.posts).toHaveLength(1);
    expect(cardText(rig.posts[0])).toMatch(/25 Macs left the Compliance group/);
    expect(cardText(rig.posts[0])).toMatch(/Mac 1\n[^]*Mac 10\n/);
    expect(cardText(rig.posts[0])).toMatch(/and 15 more/);
    expect(cardText(rig.posts[0])).toMatch(/Run \*\*rollout\*\*/);
    expect(JSON.stringify(rig.posts[0])).toContain('"value":"rollout"');
    expect(checkCard(rig.posts[0]!).problems).toEqual([]);
    for (const chunk of [ids(26, 25), ids(51, 25), ids(76, 25)]) {
      clock.advanceMinutes(0.25);
      await rig.alerts.handleFleetChanges(batch(clock, chunk.map(left)));
    }
    expect(rig.posts).toHaveLength(1);
    expect(rig.updates).toEqual([]); // within the minute after the post
    clock.advanceMinutes(1);
    await rig.alerts.tick();
    expect(rig.updates).toHaveLength(1);
    expect(rig.updates[0]!.posted).toEqual({ conversationId: '19:admin@thread.tacv2', activityId: 'post-1' });
    expect(cardText(rig.updates[0]!.card)).toMatch(/100 Macs left the Compliance group[^]*Still going/);
    // Nothing new: the card is not rewritten.
    clock.advanceMinutes(1);
    await rig.alerts.tick();
    expect(rig.updates).toHaveLength(1);
    // A quiet window: the card says it ended, once.
    clock.advanceMinutes(15);
    await rig.alerts.tick();
    await rig.alerts.tick();
    expect(rig.updates).toHaveLength(2);
    expect(cardText(rig.updates[1]!.card)).toMatch(/100 Macs left[^]*Ended: no more drops/);
    expect(checkCard(rig.updates[1]!.card).problems).toEqual([]);
    // A few more leaves after the episode: counted anew, below the threshold.
    await rig.alerts.handleFleetChanges(batch(clock, ids(101, 10).map(left)));
    expect(rig.posts).toHaveLength(1);
    clock.advanceMinutes(2);
    await rig.alerts.handleFleetChanges(batch(clock, ids(111, 20).map(left)));
    expect(rig.posts).toHaveLength(2);
    expect(cardText(rig.posts[1])).toMatch(/30 Macs left the Compliance group/);
  });

  it('a new burst after a quiet window first marks the old card ended, then posts a new one', async () => {
    const rig = dropRig(store, clock, { dropAlertMacs: 5 });
    await rig.alerts.handleFleetChanges(batch(clock, ids(1, 6).map(left)));
    clock.advanceMinutes(20);
    await rig.alerts.handleFleetChanges(batch(clock, ids(7, 5).map(left)));
    expect(rig.updates.map((u) => cardText(u.card))).toEqual([expect.stringMatching(/6 Macs left[^]*Ended/)]);
    expect(rig.posts.map((c) => cardText(c))).toEqual([
      expect.stringMatching(/6 Macs left/),
      expect.stringMatching(/5 Macs left/),
    ]);
  });

  it('the webhook and the snapshot change for the same Mac count once; names fill in when the change comes', async () => {
    const rig = dropRig(store, clock, { dropAlertMacs: 3 });
    await rig.alerts.onMembershipChange(membership(clock, ['1', '2']));
    await rig.alerts.handleFleetChanges(batch(clock, [left('1'), left('2')]));
    expect(rig.posts).toEqual([]);
    await rig.alerts.onMembershipChange(membership(clock, ['3']));
    expect(rig.posts).toHaveLength(1);
    expect(cardText(rig.posts[0])).toMatch(/3 Macs left[^]*Mac 1\n[^]*Mac 2\n[^]*Jamf computer 3/);
  });

  it('membership changes of other groups, and joining, are not drops', async () => {
    const rig = dropRig(store, clock, { dropAlertMacs: 1 });
    await rig.alerts.onMembershipChange(membership(clock, ['1'], 'Finance Macs'));
    await rig.alerts.onMembershipChange({ ...membership(clock, []), added: ['2'] });
    expect(rig.posts).toEqual([]);
  });

  it('drops spread wider than the window never alert (a sliding window, not a running total)', async () => {
    const rig = dropRig(store, clock, { dropAlertMacs: 5, dropWindowMinutes: 15 });
    for (let i = 1; i <= 20; i++) {
      await rig.alerts.handleFleetChanges(batch(clock, [left(String(i))]));
      clock.advanceMinutes(4);
    }
    expect(rig.posts).toEqual([]);
  });

  it('COMPLIANCE_DROP_ALERT_MACS=0 turns it off', async () => {
    const rig = dropRig(store, clock, { dropAlertMacs: 0 });
    await rig.alerts.handleFleetChanges(batch(clock, ids(1, 500).map(left)));
    await rig.alerts.onMembershipChange(membership(clock, ids(501, 500)));
    await rig.alerts.tick();
    expect(rig.posts).toEqual([]);
  });
});

describe('DropAlerts: restarts and a second instance (one SQLite file)', () => {
  it('a restart mid-episode, or another instance, posts no second card', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drops-'));
    const file = path.join(dir, 'bot.sqlite');
    const clock = new TestClock();
    const first = SqliteBotStore.open(file);
    const other = SqliteBotStore.open(file);
    try {
      const a = dropRig(first, clock, { dropAlertMacs: 10 });
      const b = dropRig(other, clock, { dropAlertMacs: 10 });
      // Both instances see the same burst at once.
      await Promise.all([
        a.alerts.handleFleetChanges(batch(clock, ids(1, 12).map(left))),
        b.alerts.onMembershipChange(membership(clock, ids(1, 12))),
      ]);
      expect(a.posts.length + b.posts.length).toBe(1);
      await first.close();
      // "Restart": a new service on the same file, mid-episode.
      const again = SqliteBotStore.open(file);
      const c = dropRig(again, clock, { dropAlertMacs: 10 });
      clock.advanceMinutes(2);
      await c.alerts.handleFleetChanges(batch(clock, ids(13, 30).map(left)));
      expect(c.posts).toEqual([]);
      expect(c.updates).toHaveLength(1);
      expect(cardText(c.updates[0]!.card)).toMatch(/42 Macs left/);
      await again.close();
    } finally {
      await first.close(); // closing twice is harmless
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
