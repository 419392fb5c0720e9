import { DEMO_PEOPLE } from '../../demo/demoIdentities';
import { ADMIN, END_USER, cardActionActivity, installActivity, messageActivity } from '../helpers/activities';
import { cardOf, cardText, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

describe('the bot through /api/messages (real HTTP, Bot Connector stand-in)', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());
  afterEach(() => {
    // Every card the bot sent must be one a Teams client can show.
    for (const activity of bot.connector.sent()) {
      const card = cardOf(activity);
      if (card) expect(checkCard(card).problems).toEqual([]);
    }
  });

  it('answers "help" from an admin with the help card at the activity\'s serviceUrl', async () => {
    const res = await bot.post(messageActivity('help', { serviceUrl: bot.connector.serviceUrl }));
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    const card = cardOf(sent);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(cardText(card)).toContain('What I can do for you');
    const call = bot.connector.calls[0]!;
    expect(call.path).toMatch(/^\/v3\/conversations\/.+\/activities/);
    expect(call.conversationId).toBe(`a:${ADMIN.teamsId}-personal`);
  });

  it('shows an end user only the commands they may run', async () => {
    await bot.post(messageActivity('help', { from: END_USER, serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(sent));
    // Their menu (in their language): what they can ask, as buttons; no command list.
    expect(text).toContain('Here is what I can help with');
    expect(text).not.toContain('IT admin');
    expect(text).not.toContain('check device');
  });

  it('strips the @mention in a channel and matches case-insensitively', async () => {
    await bot.post(messageActivity('  HELP ', { scope: 'channel', serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('What I can do for you');
    expect(cardText(cardOf(sent))).toContain('@mention me');
  });

  it('answers an unknown message with what it understood, the closest command and how to get help', async () => {
    await bot.post(messageActivity('hlep me', { serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(sent));
    expect(text).toContain("I didn't catch that");
    expect(text).toContain('You wrote: hlep me');
    expect(text).toContain('Did you mean **help**');
    expect(text).toContain('Type **help**');
  });

  it('shows markdown and template syntax a person typed as plain text', async () => {
    await bot.post(
      messageActivity('**bold** ${secret} [x](http://evil)', { serviceUrl: bot.connector.serviceUrl }),
    );
    const [sent] = await bot.connector.waitForSent(1);
    const text = cardText(cardOf(sent));
    // Markdown is escaped; `${…}` is shown as typed, never evaluated by the card templating.
    expect(text).toContain('\\*\\*bold\\*\\* ${secret} \\[x\\]\\(http://evil\\)');
  });

  it('refuses activities from another tenant and sends nothing', async () => {
    const res = await bot.post(
      messageActivity('help', {
        tenantId: '11111111-2222-3333-4444-555555555555',
        serviceUrl: bot.connector.serviceUrl,
      }),
    );
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.connector.calls).toHaveLength(0);
  });

  it('refuses an overlong message politely', async () => {
    await bot.post(messageActivity('x'.repeat(5000), { serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain("I can't do that with what you typed");
  });

  it('answers a card action with an unknown verb without failing', async () => {
    const res = await bot.post(
      cardActionActivity('no.such.verb', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  });

  it('refuses a card action from another tenant with 403 in the invoke response', async () => {
    const res = await bot.post(
      cardActionActivity(
        'anything',
        {},
        { tenantId: '11111111-2222-3333-4444-555555555555', serviceUrl: bot.connector.serviceUrl },
      ),
    );
    expect(res.body).toMatchObject({ statusCode: 403 });
  });

  it('welcomes on a personal install', async () => {
    await bot.post(installActivity({ from: DEMO_PEOPLE[2]!, serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain(`Hi ${DEMO_PEOPLE[2]!.givenName}, let’s get your Mac ready`);
  });

  it('says a short hello when installed in a team', async () => {
    await bot.post(installActivity({ scope: 'channel', serviceUrl: bot.connector.serviceUrl }));
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('Hi, I am Jamf Compliance');
  });

  it('rejects bodies that are not a JSON activity', async () => {
    const notJson = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(notJson.status).toBe(400);
    const wrongType = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'help',
    });
    expect(wrongType.status).toBe(415);
    const tooBig = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(bot.config.http.maxBodyBytes + 10) }),
    });
    expect(tooBig.status).toBe(413);
  });

  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});
