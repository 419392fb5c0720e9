import { applyDemoScenarios, makeHealthy } from '../../demo/demoScenarios';
import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import { askCard, cardText, expectSentCardsValid, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

describe('setup check through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot({}, { size: 40 });
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());
  afterEach(() => {
    makeHealthy(bot.demo.fleet);
    expectSentCardsValid(bot);
  });

  it('answers an admin with the doctor’s card: every check passes, the mode’s skips say why', async () => {
    const card = await askCard(bot, 'setup check', ADMIN);
    expect(checkCard(card).problems).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Setup check: ready');
    for (const title of [
      '✅ **Graph permissions**',
      '✅ **Jamf Pro API privileges**',
      '✅ **Jamf compliance partner in Intune**',
      '✅ **Teams app in the org catalog**',
      '✅ **User registration app**',
      '✅ **Conditional Access**',
      '➖ **Public address (PUBLIC_URL)**',
      '✅ **Database**',
      '➖ **Database file system**',
    ])
      expect(text).toContain(title);
    expect(text).toContain('Local mode (no MICROSOFT_APP_ID)');
    expect(text).toContain('Refresh');
  });

  it('Refresh checks again and names the fix for what broke meanwhile', async () => {
    await askCard(bot, 'setup check', ADMIN);
    applyDemoScenarios(bot.demo.fleet, ['missing-jamf-privilege']);
    const res = await bot.post(
      cardActionActivity('setup.refresh', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const replaced = (res.body as { value: unknown }).value;
    expect(checkCard(replaced).problems).toEqual([]);
    const text = cardText(replaced);
    expect(text).toContain('Setup check: not ready');
    expect(text).toContain('❌ **Jamf Pro API privileges**');
    expect(text).toContain(
      'Fix: In Jamf Pro › Settings › System › API roles and clients, add **Read Policies**',
    );
  });

  it('refuses an end user, and an end user pressing Refresh (the pipeline’s admin check)', async () => {
    expect(cardText(await askCard(bot, 'setup check', END_USER))).toContain('That command is for IT admins');
    const res = await bot.post(
      cardActionActivity('setup.refresh', {}, { from: END_USER, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, value: 'Only IT admins can use this button.' });
  });
});
