/**
 * Fleet-wide answers through /api/messages with the real fleet snapshot: the app's own sync and
 * reader over the demo tenant (latency on every request, so the cold build takes seconds). A
 * command during the cold build gets the progress card, replaced in place by the answer; every
 * fleet-wide card says how old its fleet picture is; a cold build that fails says, on the
 * progress card, that it stopped and why.
 */
import type { FleetSnapshotSource } from '../../src/compliance/fleetSnapshotTypes';
import { ADMIN, messageActivity } from '../helpers/activities';
import {
  adminInChannel,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';

const INVENTORY = '/api/v4/computers-inventory';
const AS_OF = /Fleet picture as of (less than a minute|\d+ \w+) ago/;

/**
 * The app's own reader (its sync behind it), handed back to the app as the injected source so
 * the test can shorten the progress card's timing.
 */
async function startBotWithRealSnapshot(latencyMs: number): Promise<BotHarness> {
  let bot: BotHarness | null = null;
  const reader = (): FleetSnapshotSource => bot!.app.fleetReader;
  bot = await startBot(
    { FLEET_JAMF_PAGE_SIZE: '100' },
    { latencyMs },
    {
      fleet: {
        source: { read: () => reader().read(), refresh: (o) => reader().refresh(o) },
        timing: { progressEveryMs: 100, firstAnswerWaitMs: 0 },
      },
    },
  );
  return bot;
}

const updates = (bot: BotHarness) =>
  bot.connector.calls.filter((c) => c.method === 'PUT' && c.status === 200);
const texts = (bot: BotHarness): string[] => [
  ...bot.connector.sent().map((a) => cardText(cardOf(a))),
  ...updates(bot).map((u) => cardText(cardOf(u.body ?? undefined))),
];

describe('the real fleet snapshot behind fleet-wide answers', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotWithRealSnapshot(200);
  });
  afterAll(() => bot.close());
  beforeEach(() => bot.connector.reset());
  afterEach(() => expectSentCardsValid(bot));

  it('a command during the cold build gets the progress card, then the answer in its place', async () => {
    const res = await bot.post(
      messageActivity('rollout', { from: ADMIN, scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    const first = cardText(cardOf(sent));
    expect(first).toContain('Building the fleet picture');
    expect(first).not.toMatch(/error|went wrong/i);
    const postedId = bot.connector.calls.find((c) => c.method === 'POST' && c.assignedId)!.assignedId;

    await waitUntil(async () =>
      updates(bot).some((u) => cardText(cardOf(u.body ?? undefined)).includes('Rollout: ')),
    );
    const last = updates(bot)[updates(bot).length - 1]!;
    expect(last.activityId).toBe(postedId);
    expect(cardText(cardOf(last.body ?? undefined))).toMatch(AS_OF);
    // Only one message was posted: the answer replaced the progress card.
    expect(bot.connector.sent()).toHaveLength(1);
  }, 30_000);

  it.each(['connector status', 'rollout', 'remind preview'])(
    '%s says how old its fleet picture is',
    async (command) => {
      bot.demo.jamf.faults.setLatency(0);
      bot.demo.graph.faults.latencyMs = 0;
      const card = await adminInChannel(() => bot).say(command);
      expect(cardText(card)).toMatch(AS_OF);
    },
  );
});

describe('a cold build that fails', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotWithRealSnapshot(50);
  });
  afterAll(() => bot.close());

  it('shows the progress card saying it stopped and why', async () => {
    bot.demo.jamf.faults.failNext(10_000, { path: INVENTORY, status: 403 });
    const res = await bot.post(
      messageActivity('rollout', { from: ADMIN, scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    await bot.connector.waitForSent(1);
    await waitUntil(async () =>
      texts(bot).some((t) => t.includes('stopped: Jamf Pro answered forbidden (HTTP 403)')),
    );
    const stopped = texts(bot).find((t) => t.includes('stopped:'))!;
    expect(stopped).toContain('Building the fleet picture');
    expect(stopped).toContain('the next sync continues where it stopped');
    expectSentCardsValid(bot);
  }, 30_000);
});
