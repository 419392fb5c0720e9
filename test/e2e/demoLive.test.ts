import { dropCompliance } from '../../demo/complianceDrop';
import { DEMO_FLEET_IDS } from '../../demo/demoFleetIds';
import { PlaygroundStory } from '../../demo/playgroundStory';
import { isInGroup } from '../../src/compliance/isInGroup';
import type { MacRecord } from '../../src/compliance/types';
import {
  adminInChannel,
  cardOf,
  cardText,
  expectSentCardsValid,
  pointJamfWebhooksAtBot,
  startBot,
  TEST_WEBHOOK_SECRET,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';

const env = { JAMF_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET };

/** The published snapshot's records by Jamf id (the reader's, as fleet-wide answers see it). */
async function snapshotMacs(bot: BotHarness): Promise<Map<string, MacRecord>> {
  const read = await bot.app.fleetReader.read();
  if (read.state !== 'ready') return new Map();
  return new Map(read.records.map((r) => [r.jamf.id, r]));
}

/** Every delivery the demo Jamf Pro made was accepted (202), duplicates included. */
function expectAllAccepted(bot: BotHarness): void {
  const statuses = new Set(bot.demo.jamf.webhooks.deliveries().map((d) => d.status));
  expect([...statuses]).toEqual([202]);
}

/**
 * The live demo tenant through the real pipeline over loopback: the demo Jamf Pro's churn posts
 * its webhooks (with duplicates and reordering) to the bot's endpoint, the bot re-reads the named
 * Macs and publishes them — without an interval sync (the harness never starts one).
 */
describe('demo tenant: churn → Jamf webhooks → fleet snapshot', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot(env, {
      size: 120,
      webhookDelivery: { duplicateShare: 0.3, reorderWindow: 5 },
    });
    await bot.app.fleetSync.syncNow();
  });
  afterAll(() => bot.close());

  it('stores the three webhooks pointing at the bot, idempotently', async () => {
    const first = await pointJamfWebhooksAtBot(bot);
    expect(first.url).toBe(`${bot.url}/api/webhooks/jamf`);
    expect(first.actions.map((a) => a.action)).toEqual(['create', 'create', 'create']);
    const stored = bot.demo.jamf.webhooks.stored();
    expect(stored.map((h) => h.event).sort()).toEqual([
      'ComputerAdded',
      'ComputerInventoryCompleted',
      'SmartGroupComputerMembershipChange',
    ]);
    for (const h of stored) {
      expect(h.url).toBe(first.url);
      expect(h.authentication_type).toBe('HEADER');
    }
    expect(stored.find((h) => h.event === 'SmartGroupComputerMembershipChange')?.smart_group_id).toBe(
      Number(DEMO_FLEET_IDS.jamfGroups.compliance),
    );
    const again = await pointJamfWebhooksAtBot(bot);
    expect(again.actions.map((a) => a.action)).toEqual(['ok', 'ok', 'ok']);
    expect(bot.demo.jamf.webhooks.stored()).toHaveLength(3);
  });

  it('applyChanges: the changed Macs reach the snapshot through the webhooks alone', async () => {
    const reported = new Map(bot.demo.fleet.jamf.computers.map((c) => [c.id, c.general.reportDate]));
    const versionBefore = (await bot.app.store.getFleetSnapshotMeta())!.version;
    bot.demo.jamf.requests.clear();
    const summary = bot.demo.churn.applyChanges(25);
    expect(summary.report + summary.registration + summary.newMac).toBeGreaterThan(10);
    await bot.demo.jamfWithWebhooks.settled();

    const applicable = new Set(
      bot.demo.fleet.jamf.smartGroups.find((g) => g.id === DEMO_FLEET_IDS.jamfGroups.applicable)!.members,
    );
    // Reported (or new) since, and applicable: the snapshot holds only applicable Macs.
    const changed = bot.demo.fleet.jamf.computers.filter(
      (c) => reported.get(c.id) !== c.general.reportDate && applicable.has(c.id),
    );
    expect(changed.length).toBeGreaterThan(5);
    await waitUntil(async () => {
      const macs = await snapshotMacs(bot);
      return changed.every((c) => macs.get(c.id)?.jamf.reportDate === c.general.reportDate);
    }, 20_000);
    expect((await bot.app.store.getFleetSnapshotMeta())!.version).toBeGreaterThan(versionBefore);

    // Duplicates and reordering were on, and harmless: all accepted, none failed, no extra work.
    const deliveries = bot.demo.jamf.webhooks.deliveries();
    expect(deliveries.some((d) => d.duplicate)).toBe(true);
    expectAllAccepted(bot);
    await waitUntil(async () => (await bot.app.store.webhookQueueCounts()).queued === 0);
    const counts = await bot.app.store.webhookQueueCounts();
    expect(counts.failed).toBe(0);
    expect(counts.done).toBeLessThanOrEqual(deliveries.filter((d) => !d.duplicate).length);
    // The named Macs were read in filtered listings, never one request per Mac.
    const routes = bot.demo.jamf.requests.entries.map((e) => e.route);
    expect(routes).toContain('GET /api/v4/computers-inventory');
    expect(routes).not.toContain('GET /api/v4/computers-inventory/{id}');
  });
});

/**
 * The Playground story end to end: Alex's Mac starts not compliant (FileVault), gets fixed (Jamf
 * posts its webhooks), the bot refreshes it and watches; the thank-you waits for Entra ID, then
 * reaches Alex's 1:1 once.
 */
describe('demo tenant: the Playground story ends in one thank-you', () => {
  let bot: BotHarness;
  let story: PlaygroundStory;
  const { say } = adminInChannel(() => bot);
  beforeAll(async () => {
    bot = await startBot(env, { size: 150 });
    story = new PlaygroundStory({
      fleet: bot.demo.fleet,
      jamf: bot.demo.jamf,
      jamfWithWebhooks: bot.demo.jamfWithWebhooks,
      graph: bot.demo.graph,
      fixAfterMs: 50,
      entraLagMs: 60_000,
    });
    story.prepare();
    await bot.app.fleetSync.syncNow();
    await pointJamfWebhooksAtBot(bot);
    // The bot learns the Bot Connector's address from a conversation, as in Teams.
    await say('help');
  });
  afterAll(async () => {
    story.stop();
    await bot.close();
  });

  it('fixed → webhook → watched; Entra agrees → one card in the 1:1', async () => {
    const compliance = bot.config.criteria.complianceGroup;
    const jamfId = story.mac.id;
    const before = (await snapshotMacs(bot)).get(jamfId)!;
    expect(isInGroup(before.jamf.groups, compliance)).toBe(false);
    expect(before.entra?.isCompliant).toBe(false);

    story.start();
    await waitUntil(async () => (await bot.app.store.getThankYouWatch(jamfId)) !== null);
    const after = (await snapshotMacs(bot)).get(jamfId)!;
    expect(isInGroup(after.jamf.groups, compliance)).toBe(true);

    const thankYous = () =>
      bot.connector.sent().filter((a) => cardText(cardOf(a)).includes('you now have access to company apps'));
    // Entra ID has not caught up: the re-check finds it still not compliant, no card.
    await bot.app.liveUpdates.job.run(new Date(Date.now() + 3 * 60_000));
    expect(thankYous()).toEqual([]);

    story.entraAgrees();
    await bot.app.liveUpdates.job.run(new Date(Date.now() + 10 * 60_000));
    await waitUntil(async () => thankYous().length === 1);
    expect(cardText(cardOf(thankYous()[0]))).toContain(`**${story.mac.general.name}**`);
    const call = bot.connector.calls.find(
      (c) => c.body && cardText(cardOf(c.body)).includes('you now have access to company apps'),
    );
    expect(call?.chat).toBe(bot.connector.chatOf(bot.connector.conversationFor(story.person.aadObjectId)));

    // Jamf sends the same inventory again, and the re-checks keep running: still one card.
    await bot.demo.jamf.webhooks.computerChanged(story.mac, story.mac);
    await bot.app.liveUpdates.job.run(new Date(Date.now() + 30 * 60_000));
    await new Promise((r) => setTimeout(r, 500));
    expect(thankYous()).toHaveLength(1);
    expectAllAccepted(bot);
    expectSentCardsValid(bot);
  });

  it('compliance-drop: a burst of membership deliveries → one drop card in the admin channel', async () => {
    const drops = () =>
      bot.connector.sent().filter((a) => cardText(cardOf(a)).includes('left the Compliance group'));
    bot.demo.jamf.webhooks.configure({ duplicateShare: 0.5 });
    const { removed, deliveries } = await dropCompliance({
      fleet: bot.demo.fleet,
      jamf: bot.demo.jamf,
      webhooks: { membershipBurst: (g, a, r) => bot.demo.jamf.webhooks.membershipBurst(g, a, r, 10) },
      count: 30,
    });
    expect(removed).toHaveLength(30);
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    await waitUntil(async () => drops().length === 1);
    expect(cardText(cardOf(drops()[0]))).toContain('30 Macs left the Compliance group');
    await new Promise((r) => setTimeout(r, 1000));
    expect(drops()).toHaveLength(1);
    expectAllAccepted(bot);
  });
});
