import { PgBotStore } from '../../src/store/pgBotStore';
import { describeLiveUpdateStoreConformance } from '../store/liveUpdateStoreConformance';
import {
  batch,
  dropRig,
  entered,
  entraCaughtUp,
  left,
  mac,
  TestClock,
  thankYouRig,
} from '../helpers/liveUpdatesRig';
import { freshSchema, openTestStore, testDatabaseUrl } from './pgTestDatabase';

testDatabaseUrl();

describeLiveUpdateStoreConformance('PostgreSQL', () => openTestStore());

describe('thank-yous and drop alerts: two instances on one PostgreSQL database', () => {
  let stores: PgBotStore[] = [];
  beforeEach(async () => {
    const schema = await freshSchema();
    stores = [await openTestStore({ schema }), await openTestStore({ schema })];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
  });

  it('claims a thank-you once however many claim it at the same moment', async () => {
    const claim = {
      jamfId: '1',
      entraDeviceId: 'dev-1',
      recipientId: 'u-1',
      macName: 'Mac 1',
      confirmedAt: '2026-12-01T10:00:00.000Z',
      state: 'claimed' as const,
    };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 2]!.claimThankYou(claim, '2026-11-01T10:00:00.000Z')),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('one card per Mac, whichever instance sees the change or runs the re-check', async () => {
    const clock = new TestClock();
    const [a, b] = stores.map((s) => thankYouRig(s, clock));
    const ids = Array.from({ length: 30 }, (_, i) => String(i + 1));
    const changes = ids.map((id) => entered(id, Number(id) % 3 === 0));
    await Promise.all([
      a!.service.handleFleetChanges(batch(clock, changes)),
      b!.service.handleFleetChanges(batch(clock, changes)),
    ]);
    for (const id of ids.filter((i) => Number(i) % 3 === 1)) {
      a!.live.set(id, mac(id, { inGroup: true, entraCompliant: true }));
      b!.live.set(id, mac(id, { inGroup: true, entraCompliant: true }));
    }
    clock.advanceMinutes(2);
    await Promise.all([a!.service.runDueChecks(), b!.service.runDueChecks()]);
    const later = ids.filter((i) => Number(i) % 3 === 2).map(entraCaughtUp);
    await Promise.all([
      a!.service.handleFleetChanges(batch(clock, later, 2)),
      b!.service.handleFleetChanges(batch(clock, later, 2)),
    ]);
    const all = [...a!.sent, ...b!.sent].map((s) => s.to).sort();
    expect(all).toEqual(ids.map((id) => `u-${id}`).sort());
  });

  it('one drop alert card per episode across instances', async () => {
    const clock = new TestClock();
    const [a, b] = stores.map((s) => dropRig(s, clock, { dropAlertMacs: 50 }));
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    await Promise.all(
      [0, 1, 2, 3].map((k) => {
        const part = ids.slice(k * 25, k * 25 + 25);
        return k % 2
          ? a!.alerts.handleFleetChanges(batch(clock, part.map(left)))
          : b!.alerts.onMembershipChange({
              groupId: '12',
              groupName: 'Jamf-Intune Compliance Group',
              added: [],
              removed: part,
              at: clock.now(),
            });
      }),
    );
    expect(a!.posts.length + b!.posts.length).toBe(1);
    clock.advanceMinutes(1);
    await Promise.all([a!.alerts.tick(), b!.alerts.tick()]);
    const updates = [...a!.updates, ...b!.updates];
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.card)).toContain('100 Macs left the Compliance group');
  });
});
