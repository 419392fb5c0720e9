import { DEMO_FLEET_IDS } from '../../demo/demoFleetIds';
import { applyDemoScenarios, makeHealthy } from '../../demo/demoScenarios';
import { ADMIN, END_USER, cardActionActivity } from '../helpers/activities';
import { cardText, startBot, askCard, expectSentCardsValid, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const REG_APP_ID = DEMO_FLEET_IDS.servicePrincipals.userRegistration.appId;
const ENFORCED = 'Require compliant device – Macs';

/** The text of the block the card shows for one policy. */
function policyBlock(card: unknown, name: string): string {
  const containers = (card as { body: { items?: { text?: string }[] }[] }).body;
  const block = containers.find((c) => c.items?.[0]?.text === `**${name}**`);
  return cardText(block);
}

describe('ca audit through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => {
    makeHealthy(bot.demo.fleet);
    expectSentCardsValid(bot);
  });

  const ask = (text: string, from = ADMIN) => askCard(bot, text, from);

  it('in the healthy demo: the enforced policy excludes the app; the report-only one is flagged as such', async () => {
    const card = await ask('ca audit');
    const text = cardText(card);
    // Nothing blocks now; the report-only policy would, once turned on.
    expect(text).toContain('Conditional Access needs a look');
    expect(text).toContain(
      '2 policies require a compliant or hybrid-joined device (1 on, 1 report-only). 1 does not exclude the User registration app.',
    );
    const enforced = policyBlock(card, ENFORCED);
    expect(enforced).toContain('On · requires compliant device · all resources · applies to macOS');
    expect(enforced).toContain('✅ Excludes the User registration app');
    expect(enforced).not.toContain('Fix:');
    const reportOnly = policyBlock(
      card,
      'Require compliant or hybrid-joined device – all platforms \\(report-only\\)',
    );
    expect(reportOnly).toContain('Report-only · requires compliant device or hybrid-joined device');
    expect(reportOnly).toContain('⚠️ Does not exclude the User registration app');
    expect(reportOnly).toContain('would block, once it is turned on,');
    expect(reportOnly).toContain(`Fix: Entra admin center › Protection › Conditional Access › Policies ›`);
    expect(reportOnly).toContain(REG_APP_ID);
    expect(text).toContain('Caveat');
    expect(text).toMatch(/Unconfirmed report: .*baseline scopes.*530003/);
    expect(text).toContain('Refresh');
  });

  it('missing exclusion on the enforced policy → blocks Mac registration, with the fix', async () => {
    applyDemoScenarios(bot.demo.fleet, ['missing-exclusion']);
    const card = await ask('ca audit');
    const text = cardText(card);
    expect(text).toContain('Conditional Access blocks Mac registration');
    expect(text).toContain('2 do not exclude the User registration app. 1 blocks Macs now.');
    const enforced = policyBlock(card, ENFORCED);
    expect(enforced).toContain('❌ Does not exclude the User registration app');
    expect(enforced).toContain('so it blocks Macs from registering');
    expect(enforced).toContain(`Policies › ${ENFORCED} › Target resources › Exclude › Select resources`);
  });

  it('missing registration app → warns that the exclusions protect nothing', async () => {
    applyDemoScenarios(bot.demo.fleet, ['missing-registration-app']);
    const text = cardText(await ask('conditional access'));
    expect(text).toContain(`No app with id ${REG_APP_ID} is in this tenant`);
    expect(text).toContain('REGISTRATION_APP_ID');
  });

  it('no policy requiring a compliant device → says compliance is not enforced', async () => {
    const saved = bot.demo.fleet.graph.caPolicies;
    bot.demo.fleet.graph.caPolicies = [];
    try {
      const text = cardText(await ask('ca audit'));
      expect(text).toContain('No policy requires a compliant or hybrid-joined device.');
      expect(text).toContain('not enforced anywhere yet');
      expect(text).not.toContain('Caveat');
    } finally {
      bot.demo.fleet.graph.caPolicies = saved;
    }
  });

  it('Refresh audits again and returns the updated card in place', async () => {
    applyDemoScenarios(bot.demo.fleet, ['missing-exclusion']);
    expect(cardText(await ask('ca audit'))).toContain('Conditional Access blocks Mac registration');
    makeHealthy(bot.demo.fleet);
    const res = await bot.post(
      cardActionActivity('ca.refresh', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const replaced = (res.body as { value: unknown }).value;
    expect(checkCard(replaced).problems).toEqual([]);
    expect(cardText(replaced)).toContain('Conditional Access needs a look');
  });

  it('refuses an end user, and an end user pressing Refresh', async () => {
    expect(cardText(await ask('ca audit', END_USER))).toContain('That command is for IT admins');
    const res = await bot.post(
      cardActionActivity('ca.refresh', {}, { from: END_USER, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, value: 'Only IT admins can use this button.' });
  });

  it('answers with the error card naming Microsoft Graph when Graph fails', async () => {
    bot.demo.graph.faults.failNext(1000, { status: 503 });
    const text = cardText(await ask('ca audit'));
    expect(text).toContain('Microsoft Graph (Entra ID and Intune)');
    expect(text).toContain('What to try');
  });
});
