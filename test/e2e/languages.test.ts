import { DEMO_PEOPLE, type DemoPerson } from '../../demo/demoIdentities';
import { installActivity, messageActivity } from '../helpers/activities';
import {
  cardOf,
  cardText,
  expectSentCardsValid,
  startBot,
  waitUntil,
  type BotHarness,
} from '../helpers/botHarness';

const person = (first: string) => DEMO_PEOPLE.find((p) => p.givenName === first)!;
const MEGAN = person('Megan'); // one Mac, not registered: German
const PATTI = person('Patti'); // two Macs: Japanese, in Tokyo
const ISAIAH = person('Isaiah'); // not compliant: Brazilian Portuguese, which the bot does not speak

/** What a Teams client sends about itself: `locale`, `localTimezone`, or the `clientInfo` entity. */
type Client = { locale?: string; localTimezone?: string; entities?: Record<string, unknown>[] };
const ADMIN_ACTOR = {
  teamsUserId: DEMO_PEOPLE[0]!.teamsId,
  aadObjectId: DEMO_PEOPLE[0]!.aadObjectId,
  name: DEMO_PEOPLE[0]!.name,
};
const GERMAN: Client = { locale: 'de-DE', localTimezone: 'Europe/Berlin' };
const JAPANESE: Client = {
  locale: 'ja-JP',
  entities: [{ type: 'clientInfo', locale: 'ja-JP', country: 'JP', platform: 'Web', timezone: 'Asia/Tokyo' }],
};

describe('everyone in their own language, through /api/messages', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({ ROLLOUT_DEADLINE: '2099-12-31', BROADCAST_MAX_PER_SECOND: '200' });
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expectSentCardsValid(bot);
  });

  const chatOf = (p: DemoPerson) => `a:${p.teamsId}-personal`;
  /** Posts an activity from a client and returns the text of the bot's first card in that chat. */
  const send = async (activity: Record<string, unknown>, from: DemoPerson, client: Client) => {
    bot.connector.reset();
    const res = await bot.post({ ...activity, ...client });
    expect(res.status).toBe(200);
    let text = '';
    await waitUntil(async () => {
      const reply = bot.connector.calls.find((c) => c.conversationId === chatOf(from) && c.method === 'POST');
      text = reply ? cardText(cardOf(reply.body ?? undefined)) : '';
      return text !== '';
    });
    return text;
  };
  /** Reminds one person about their first demo Mac (a one-person campaign) and returns the card sent. */
  const remind = async (p: DemoPerson, computerId: string) => {
    bot.connector.reset();
    const mac = p.macs[0]!;
    const campaign = await bot.app.broadcasts.remindOne(
      {
        recipientId: p.aadObjectId,
        name: p.name,
        upn: p.upn,
        macs: [{ computerId, name: mac.name, serialNumber: mac.serial, verdict: mac.state }],
      },
      ADMIN_ACTOR,
    );
    await waitUntil(async () => (await bot.app.store.getCampaign(campaign.id))?.state === 'done');
    const sent = bot.connector.calls.find(
      (c) => c.method === 'POST' && cardText(cardOf(c.body ?? undefined)).includes('status.check'),
    );
    return { conversationId: sent?.conversationId, text: cardText(cardOf(sent!.body ?? undefined)) };
  };
  const ask = (text: string, from: DemoPerson, client: Client) =>
    send(messageActivity(text, { from, serviceUrl: bot.connector.serviceUrl }), from, client);

  it('a de-DE user: the welcome, status and a reminder are German', async () => {
    const welcome = await send(
      installActivity({ from: MEGAN, serviceUrl: bot.connector.serviceUrl }),
      MEGAN,
      GERMAN,
    );
    expect(welcome).toContain('Hallo Megan, machen wir Ihren Mac bereit');
    expect(welcome).toContain('Donnerstag, 31. Dezember 2099');
    expect(welcome).toContain('Ist mein Mac in Ordnung?');
    expect(welcome).not.toContain('Please register');

    const status = await ask('status', MEGAN, GERMAN);
    expect(status).toContain('Ihr Mac');
    expect(status).toContain('Noch nicht registriert');
    expect(status).toContain('Erneut prüfen');
    expect(status).toMatch(/Geprüft gerade eben \(\d{1,2}\. \w+\.? \d{4}, \d{2}:\d{2} (MEZ|MESZ)\)/);
    expect(status).not.toContain('Not registered yet');

    // A campaign reaches Megan without a message from her: her stored 1:1 chat says German.
    expect(await bot.app.store.findPersonalConversation(MEGAN.aadObjectId)).toMatchObject({
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
    });
    const { conversationId, text: reminder } = await remind(MEGAN, '2');
    expect(conversationId).toBe(chatOf(MEGAN));
    expect(reminder).toContain('Megan, Ihr Mac braucht Ihre Aufmerksamkeit');
    expect(reminder).toContain('Noch nicht registriert');
    expect(reminder).toContain('Registrieren Sie Ihren Mac');
    expect(reminder).toContain('Erneut prüfen');
    expect(reminder).not.toMatch(/needs attention|What to do|Check again/);
  }, 30_000);

  it("a German user's help and menu: their menu, in German, with buttons that send the bot's own words", async () => {
    for (const typed of ['help', 'menu', '?']) {
      bot.connector.reset();
      await bot.post({
        ...messageActivity(typed, { from: MEGAN, serviceUrl: bot.connector.serviceUrl }),
        ...GERMAN,
      });
      const [reply] = await bot.connector.waitForSent(1);
      const card = cardOf(reply);
      expect(cardText(card)).toContain('Dabei kann ich helfen');
      expect(cardText(card)).toContain('Ist mein Mac in Ordnung?');
      expect(cardText(card)).not.toMatch(
        /How I can help|Shows what you can ask me|Here is what I can help with/,
      );
      expect(JSON.stringify(card)).toContain('"value":"status"');
    }
  });

  it('a German user who asks in a channel gets the refusal, and its error card, in German', async () => {
    bot.connector.reset();
    const res = await bot.post({
      ...messageActivity('status', { from: MEGAN, scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
      ...GERMAN,
    });
    expect(res.status).toBe(200);
    const [reply] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(reply));
    expect(text).toContain('Mit dieser Eingabe kann ich das nicht tun');
    expect(text).toContain('nur in unserem 1:1-Chat');
  });

  it('a ja-JP user (time zone from the clientInfo entity): Japanese words and Japanese dates in Tokyo time', async () => {
    const status = await ask('status', PATTI, JAPANESE);
    expect(status).toContain('お使いの Mac（2 台）');
    expect(status).toMatch(/確認日時: たった今 \(\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} JST\)/);
    expect(status).not.toContain('Checked');
  });

  it('a reminder to someone the bot never chatted with: their preferredLanguage in Entra ID (fr-FR)', async () => {
    const user = bot.demo.fleet.graph.users.find((u) => u.id === ISAIAH.aadObjectId)!;
    user.preferredLanguage = 'fr-FR';
    expect(await bot.app.store.findPersonalConversation(ISAIAH.aadObjectId)).toBeNull();
    const { text: reminder } = await remind(ISAIAH, '4');
    expect(reminder).toContain('Isaiah, votre Mac demande votre attention');
    expect(reminder).toContain('Activez FileVault');
    user.preferredLanguage = null;
  }, 30_000);

  it('an unsupported locale (pt-BR) falls back to English', async () => {
    const status = await ask('status', ISAIAH, { locale: 'pt-BR', localTimezone: 'America/Sao_Paulo' });
    expect(status).toContain('Your Mac');
    expect(status).toContain('Needs a fix');
    expect(status).toContain('Check again');
    // English words, and the dates in the person's own time zone.
    expect(status).toMatch(/Checked just now \(\d{1,2} \w{3} \d{4}, \d{2}:\d{2} GMT-3\)/);
  });
});
