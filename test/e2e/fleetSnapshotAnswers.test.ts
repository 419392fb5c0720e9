import { DEMO_TEAM } from '../../demo/demoIdentities';
import { FleetSnapshotReader } from '../../src/fleet/fleetSnapshotReader';
import { silentLogger } from '../../src/log';
import { loadFleet } from '../../src/lookup/loadFleet';
import type { MacRecord } from '../../src/compliance/types';
import { ADMIN, cardActionActivity, messageActivity } from '../helpers/activities';
import {
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';
import { FakeFleetSnapshot } from '../helpers/fakeFleetSnapshot';

/**
 * Fleet-wide answers through /api/messages with the fleet snapshot injected into the
 * composition root (the real reader over an in-memory store whose build and publishes the test
 * drives): the progress card during the cold build, updated in place until the answer replaces
 * it, and Refresh answering at once.
 */
describe('fleet-wide answers from the fleet snapshot', () => {
  let bot: BotHarness;
  let store: FakeFleetSnapshot;
  let records: MacRecord[];
  let notApplicable: number;
  let connector: { groupIds: string[]; groupNames: Record<string, string> };
  /** What the sync request does (the test's stand-in for the sync engine's `syncNow`). */
  let sync: () => Promise<unknown> = async () => {};

  beforeAll(async () => {
    store = new FakeFleetSnapshot();
    const reader = new FleetSnapshotReader({
      store,
      requestSync: () => sync(),
      logger: silentLogger(),
      pollMs: 50,
    });
    bot = await startBot(
      {},
      {},
      {
        fleet: { source: reader, timing: { progressEveryMs: 100, refreshWaitMs: 500, firstAnswerWaitMs: 0 } },
      },
    );
    const load = await loadFleet(
      { jamf: bot.app.jamf, graph: bot.app.graph },
      { criteria: bot.config.criteria, connectorName: bot.config.connector.name },
    );
    records = load.records;
    notApplicable = load.stats.counts.notApplicable;
    connector = { groupIds: load.connector.groupIds, groupNames: load.connector.groupNames };
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());
  afterEach(() => expectSentCardsValid(bot));

  const updates = () => bot.connector.calls.filter((c) => c.method === 'PUT' && c.status === 200);
  const updatedText = (i: number) => cardText(cardOf(updates()[i]?.body ?? undefined));

  it('rollout in a channel during the cold build: the progress card at once, updated in place, then replaced by the answer', async () => {
    store.startBuild({ macsRead: 100, macsTotal: 300, phase: 'reading Jamf Pro inventory' });
    const from = { from: ADMIN, scope: 'channel' as const, serviceUrl: bot.connector.serviceUrl };
    const res = await bot.post(messageActivity('rollout', from));
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    const first = cardText(cardOf(sent));
    expect(first).toContain('Building the fleet picture: 100 of 300 Macs');
    expect(first).toContain('reading Jamf Pro inventory');
    expect(first).not.toMatch(/error|went wrong/i);
    const postedId = bot.connector.calls.find((c) => c.method === 'POST' && c.assignedId)!.assignedId;

    store.startBuild({ macsRead: 200, macsTotal: 300, phase: 'looking up compliance' });
    await waitUntil(async () =>
      updates().some((u) => cardText(cardOf(u.body ?? undefined)).includes('200 of 300')),
    );

    store.publishFull(records, { notApplicable, connector });
    await waitUntil(async () =>
      updates().some((u) => cardText(cardOf(u.body ?? undefined)).includes('Rollout: ')),
    );
    const last = updates()[updates().length - 1]!;
    // The same message, in the channel whose reference the bot stored.
    expect(last.activityId).toBe(postedId);
    expect(last.conversationId).toBe(DEMO_TEAM.channel.id);
    expect(updatedText(updates().length - 1)).toContain('Fleet picture as of less than a minute ago');
    // Updates stop once the answer is there.
    const count = updates().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(updates()).toHaveLength(count);
  });

  it('connector status in a 1:1 chat during the cold build: partner and apps at once, the counts when the build is done', async () => {
    store.clear();
    store.startBuild({ macsRead: 50, macsTotal: null, phase: 'reading Jamf Pro inventory' });
    const res = await bot.post(
      messageActivity('connector status', { from: ADMIN, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(sent));
    expect(text).toContain('Cloud Connector for Device Compliance');
    expect(text).toContain('Building the fleet picture: 50 Macs so far');
    expect(text).not.toContain('did not answer');

    store.publishFull(records, { notApplicable, connector });
    await waitUntil(async () =>
      updates().some((u) => cardText(cardOf(u.body ?? undefined)).includes('Applicable Macs')),
    );
    const last = updates()[updates().length - 1]!;
    // The 1:1 conversation's stored reference carried the update.
    expect(last.conversationId).toBe(
      (messageActivity('x', { from: ADMIN, serviceUrl: '' }).conversation as { id: string }).id,
    );
    expect(updatedText(updates().length - 1)).toContain('Fleet picture as of');
  });

  it('connector status answers from the snapshot with its age, in a 1:1 chat too', async () => {
    const res = await bot.post(
      messageActivity('connector status', { from: ADMIN, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(sent));
    expect(text).toContain('Applicable Macs');
    expect(text).toContain(String(records.length));
    expect(text).toContain('Fleet picture as of');
  });

  it('Refresh answers at once from the snapshot held, and updates the pressed card when the sync has run', async () => {
    let finish: () => void = () => {};
    sync = () => new Promise<void>((r) => (finish = r));
    const press = cardActionActivity('rollout.refresh', {}, { serviceUrl: bot.connector.serviceUrl });
    const started = Date.now();
    const res = await bot.post(press);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText((res.body as { value: unknown }).value)).toContain('Rollout: ');
    expect(updates()).toHaveLength(0);

    // The sync finishes later, having changed a Mac: the pressed card is replaced in place.
    const [gone, ...rest] = records;
    store.applyChanges([], [gone!.jamf.id]);
    finish();
    await waitUntil(async () => updates().length > 0);
    expect(updates()[0]!.activityId).toBe(press.replyToId);
    expect(updatedText(0)).toContain(` of ${rest.length} applicable Macs`);
    sync = async () => {};
  });

  it('Refresh answers after the sync when it is quick, with nothing to update later', async () => {
    sync = async () => store.applyChanges([]);
    const res = await bot.post(
      cardActionActivity('connector.refresh', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(cardText((res.body as { value: unknown }).value)).toContain(
      'Fleet picture as of less than a minute ago',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(updates()).toHaveLength(0);
    sync = async () => {};
  });
});
