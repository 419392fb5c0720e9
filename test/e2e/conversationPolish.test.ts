import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { ADMIN, END_USER, messageActivity } from '../helpers/activities';
import {
  cardActions,
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  type BotHarness,
} from '../helpers/botHarness';

/** The imBack buttons of a card: what each sends as if typed. */
const imBacks = (card: unknown): Array<{ title: string; value: string }> =>
  cardActions(card).flatMap((a) => {
    const msteams = (a.data as { msteams?: { type?: string; value?: string } } | undefined)?.msteams;
    return a.type === 'Action.Submit' && msteams?.type === 'imBack'
      ? [{ title: String(a.title), value: String(msteams.value) }]
      : [];
  });

const ISAIAH_MAC = DEMO_PEOPLE.flatMap((p) => p.macs).find((m) => m.state === 'not_compliant')!;

describe('a conversation that feels native to Teams, through /api/messages', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
    // Warm up (the first look-up loads the connector's groups): later timings are the command's own.
    await bot.post(messageActivity('check device C02DEMO0001', { serviceUrl: bot.connector.serviceUrl }));
    await bot.connector.waitForSent(1);
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => expectSentCardsValid(bot));

  const say = async (text: string, from = ADMIN, scope: 'personal' | 'channel' = 'personal') => {
    const before = bot.connector.sent().length;
    const res = await bot.post(messageActivity(text, { from, scope, serviceUrl: bot.connector.serviceUrl }));
    expect(res.status).toBe(200);
    return bot.connector.sent().slice(before);
  };
  const cardsIn = (activities: Record<string, unknown>[]) =>
    activities.filter((a) => a.type === 'message').map((a) => cardOf(a)!);

  it('shows the typing indicator once before a slow answer, and none before a fast one', async () => {
    // Graph asks the bot to wait 2 s once (Retry-After): the answer takes over a second.
    bot.demo.graph.faults.throttleNext(1, { retryAfterSeconds: 2 });
    const before = bot.connector.sent().length;
    const slow = await say(`check device ${ISAIAH_MAC.serial}`);
    expect(slow.map((a) => a.type)).toEqual(['message']);
    expect(cardText(cardsIn(slow)[0])).toContain(ISAIAH_MAC.name);
    // One indicator, in the same conversation, before the answer.
    const typing = bot.connector.typing();
    expect(typing).toHaveLength(1);
    expect(typing[0]!.before).toBe(before);
    expect(typing[0]!.body.type).toBe('typing');
    expect(typing[0]!.body.conversation).toEqual(slow[0]!.conversation);

    const fast = await say('help');
    expect(fast.map((a) => a.type)).toEqual(['message']);
    expect(bot.connector.typing()).toHaveLength(1); // still only the slow answer's
  });

  it("turns the help card's examples into buttons that run them, when they run anywhere", async () => {
    const [help] = cardsIn(await say('help'));
    const buttons = imBacks(help);
    expect(buttons.map((b) => b.value)).toEqual(
      expect.arrayContaining(['connector status', 'rollout', 'ca audit', 'campaigns']),
    );
    for (const b of buttons) expect(b.title).toBe(b.value);
    // An example naming one tenant's Mac or campaign would fail elsewhere: text to adapt, no button.
    expect(buttons.map((b) => b.value)).not.toContain('check device C02DEMO0004');
    expect(buttons.map((b) => b.value).filter((v) => v.startsWith('campaign '))).toEqual([]);
    expect(cardText(help)).toContain('Try: `check device C02DEMO0004`');
    // Pressing one sends its words, as typed: the command answers.
    const [rollout] = cardsIn(await say(buttons.find((b) => b.value === 'rollout')!.value));
    expect(rollout).toBeDefined();
    // An end user's help is their menu: only what an end user may ask, as buttons.
    const [mine] = cardsIn(await say('help', END_USER));
    expect(imBacks(mine).map((b) => b.value)).not.toContain('check device C02DEMO0004');
    expect(imBacks(mine).map((b) => b.value)).toEqual(expect.arrayContaining(['status', 'contact IT']));
  });

  it('answers unknown text with the closest commands as buttons, what was typed kept', async () => {
    const [typo] = cardsIn(await say(`chek devise ${ISAIAH_MAC.serial}`));
    expect(cardText(typo)).toContain('Did you mean **check device**');
    const buttons = imBacks(typo);
    expect(buttons[0]).toEqual({
      title: `check device ${ISAIAH_MAC.serial}`,
      value: `check device ${ISAIAH_MAC.serial}`,
    });
    const [device] = cardsIn(await say(buttons[0]!.value));
    expect(cardText(device)).toContain(ISAIAH_MAC.name);

    const [help] = cardsIn(await say('hlep me'));
    expect(imBacks(help)[0]).toEqual({ title: 'help', value: 'help' });
    // Nothing close: no buttons, the hint to type help.
    const [none] = cardsIn(await say('what is the weather in Paris', ADMIN, 'channel'));
    expect(imBacks(none)).toEqual([]);
    expect(cardText(none)).toContain('Type **help**');
  });
});
