import { applyDemoScenarios, makeHealthy, MISSING_PERMISSION } from '../../demo/demoScenarios';
import { ADMIN } from '../helpers/activities';
import { askCard, cardText, expectSentCardsValid, startBot, type BotHarness } from '../helpers/botHarness';

/**
 * The demo app holds exactly the Graph permissions the docs list; `missing-permission` takes
 * Policy.Read.All away. `ca audit` must then say which permission is missing and where to grant
 * it — not a generic failure, and never a token.
 */
describe('a missing Graph permission, through /api/messages', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());
  afterEach(() => {
    makeHealthy(bot.demo.fleet);
    bot.demo.graph.faults.expireTokensNow();
    expectSentCardsValid(bot);
  });

  it('ca audit names the permission and where to grant it', async () => {
    applyDemoScenarios(bot.demo.fleet, ['missing-permission']);
    // Tokens already issued keep their roles until they expire, as in Entra.
    bot.demo.graph.faults.expireTokensNow();
    const text = cardText(await askCard(bot, 'ca audit', ADMIN));
    expect(MISSING_PERMISSION).toBe('Policy.Read.All');
    expect(text).toContain(
      "The bot's app registration lacks the Microsoft Graph application permission Policy.Read.All",
    );
    expect(text).toMatch(/Entra admin center › App registrations › .* › API permissions/);
    expect(text).toContain('admin consent');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('with every permission granted, ca audit works', async () => {
    const text = cardText(await askCard(bot, 'ca audit', ADMIN));
    expect(text).not.toContain('lacks the Microsoft Graph application permission');
    expect(text).toContain('Conditional Access');
  });
});
