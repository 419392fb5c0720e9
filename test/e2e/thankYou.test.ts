import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { loadConnectorScope } from '../../src/lookup/connectorScope';
import { lookupMacs } from '../../src/lookup/lookupMacs';
import type { MacRecord } from '../../src/compliance/types';
import {
  adminInChannel,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';

const ALEX = DEMO_PEOPLE[0]!;

/**
 * Through the real app: a snapshot change says Alex's Mac entered the Compliance group before
 * Entra ID agrees; the scheduled minute re-reads the Mac live from the demo tenant (where Entra
 * says compliant) and Alex gets one thank-you in his 1:1, through the Bot Connector.
 */
describe('thank-you card through the real app', () => {
  let bot: BotHarness;
  const { say } = adminInChannel(() => bot);
  beforeAll(async () => {
    bot = await startBot({}, { size: 40 });
  });
  afterAll(() => bot.close());

  it('entered the group, Entra confirms on the re-check → one card in the 1:1, and only one', async () => {
    // The bot learns the Bot Connector's address from a conversation, as in Teams.
    await say('help');
    const found = await lookupMacs(
      { kind: 'user', value: ALEX.upn },
      {
        jamf: bot.app.jamf,
        graph: bot.app.graph,
        connectorScope: () => loadConnectorScope(bot.app.graph, bot.config.connector.name),
      },
    );
    const record = found.records.find((r) => r.jamf.name === ALEX.macs[0]!.name)!;
    expect(record.entra?.isCompliant).toBe(true);
    const complianceGroup = bot.config.criteria.complianceGroup;
    const before: MacRecord = {
      ...record,
      jamf: { ...record.jamf, groups: record.jamf.groups.filter((g) => g.groupName !== complianceGroup) },
      entra: { ...record.entra!, isCompliant: false },
    };
    const after: MacRecord = { ...record, entra: { ...record.entra!, isCompliant: false } };
    const change = { version: 1, at: new Date(), changes: [{ jamfId: record.jamf.id, before, after }] };

    const thankYous = () =>
      bot.connector.sent().filter((a) => cardText(cardOf(a)).includes('you now have access to company apps'));
    await bot.app.liveUpdates.handleFleetChanges(change);
    expect(thankYous()).toEqual([]);

    await bot.app.liveUpdates.job.run(new Date(Date.now() + 3 * 60_000));
    await waitUntil(async () => thankYous().length === 1);
    const text = cardText(cardOf(thankYous()[0]));
    expect(text).toContain(`**${ALEX.macs[0]!.name}** is registered and compliant`);
    const call = bot.connector.calls.find(
      (c) => c.body && cardText(cardOf(c.body)).includes('you now have access to company apps'),
    );
    expect(call?.chat).toBe(bot.connector.chatOf(bot.connector.conversationFor(ALEX.aadObjectId)));

    await bot.app.liveUpdates.handleFleetChanges({ ...change, version: 2 });
    await bot.app.liveUpdates.job.run(new Date(Date.now() + 10 * 60_000));
    expect(thankYous()).toHaveLength(1);
    expect(await bot.app.store.getThankYou(record.jamf.id, record.entra!.deviceId)).toMatchObject({
      state: 'sent',
    });
    expectSentCardsValid(bot);
  });
});
