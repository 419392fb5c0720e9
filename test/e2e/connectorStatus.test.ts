import type { DemoScenario } from '../../demo/demoScenarios';
import { applyDemoScenarios, makeHealthy } from '../../demo/demoScenarios';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import {
  cardOf,
  cardText,
  startBot,
  askCard,
  expectSentCardsValid,
  type BotHarness,
} from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

/** Title → value of every FactSet fact in a card. */
function factsOf(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'FactSet')
        for (const f of o.facts as { title: string; value: string }[]) out[f.title] = f.value;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('connector status through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.reset();
    bot.demo.jamf.faults.clear();
    bot.demo.graph.faults.clear();
  });
  afterEach(() => {
    makeHealthy(bot.demo.fleet);
    expectSentCardsValid(bot);
  });

  const ask = (text: string, from = ADMIN) => askCard(bot, text, from);

  it('shows a healthy connector: partner, heartbeat, macOS, its group, both apps and the fleet counts', async () => {
    const card = await ask('connector status');
    const text = cardText(card);
    expect(text).toContain('Connector healthy');
    expect(text).not.toContain('Why, and what fixes it');
    const facts = factsOf(card);
    const group = bot.demo.fleet.graph.groups.find((g) => g.id === bot.demo.fleet.connectorGroupId)!;
    expect(facts).toMatchObject({
      Partner: 'Jamf Device Compliance',
      State: 'Enabled',
      'macOS onboarded': 'Yes',
      'Assigned groups': group.displayName,
    });
    expect(facts['Last heartbeat']).toMatch(/^(\d+ minutes? ago|just now) \(\d+ \w+ \d{4}, \d\d:\d\d UTC\)$/);
    expect(facts['Cloud Connector for Device Compliance']).toMatch(/^✅ Present/);
    expect(facts['User registration app for Device Compliance']).toMatch(/^✅ Present/);

    // Counts by verdict match what the generator intended for every Mac.
    const intended = Object.values(bot.demo.fleet.intendedVerdicts);
    const count = (v: string) => intended.filter((x) => x === v).length;
    const applicable = intended.length - count('not_applicable');
    expect(facts['Applicable Macs']).toBe(String(applicable));
    expect(facts['Compliant']).toBe(
      `${count('compliant')} (${Math.round((count('compliant') / applicable) * 1000) / 10}%)`,
    );
    expect(facts['Not compliant']).toBe(String(count('not_compliant')));
    expect(facts['Not registered']).toBe(String(count('not_registered')));
    expect(facts['Registered — waiting for first report']).toBe(String(count('waiting_first_report')));
    expect(facts['Out of sync']).toBe(String(count('out_of_sync')));
    expect(facts['Stale']).toBe(String(count('stale')));
    expect(facts['Outside the Applicable group']).toBe(String(count('not_applicable')));
    expect(text).toContain('Refresh');
  });

  it.each<[DemoScenario, string, RegExp]>([
    ['stale-heartbeat', 'Connector degraded', /Last heartbeat 6 hours ago \(expected within 1 hour\)/],
    ['never-reported', 'Connector degraded', /Jamf Pro has never reported to Intune/],
    ['unresponsive', 'Connector broken', /Partner state is \*unresponsive\*.*last heartbeat 3 days ago/],
    ['all-users', 'Connector broken', /targets \*all users\*/],
    ['no-group', 'Connector broken', /has no user group/],
    ['macos-not-onboarded', 'Connector broken', /not onboarded for macOS/],
    ['no-partner', 'Connector broken', /Intune has no compliance partner for Jamf/],
    ['missing-connector-app', 'Connector broken', /\*Cloud Connector for Device Compliance\* app is missing/],
    [
      'missing-registration-app',
      'Connector broken',
      /\*User registration app for Device Compliance\* is missing/,
    ],
  ])('%s → %s, with the reason and its fix', async (scenario, label, reason) => {
    applyDemoScenarios(bot.demo.fleet, [scenario]);
    const card = await ask('connector status');
    const text = cardText(card);
    expect(text).toContain(label);
    expect(text).toMatch(reason);
    expect(text).toContain('Why, and what fixes it');
    expect(text).toMatch(/Fix: /);
  });

  it('shows a partner that never reported (Graph sends the minimum date) as never reported', async () => {
    applyDemoScenarios(bot.demo.fleet, ['never-reported']);
    const card = await ask('connector status');
    expect(factsOf(card)['Last heartbeat']).toBe('never reported');
    expect(cardText(card)).not.toMatch(/years? ago/);
  });

  it('flags all users in the assigned groups and a missing app in the facts', async () => {
    applyDemoScenarios(bot.demo.fleet, ['all-users', 'missing-registration-app']);
    const facts = factsOf(await ask('connector'));
    expect(facts['Assigned groups']).toBe('⚠️ All users (breaks the connection)');
    expect(facts['User registration app for Device Compliance']).toBe('❌ Missing');
  });

  it('Refresh reads everything again and returns the updated card in place', async () => {
    applyDemoScenarios(bot.demo.fleet, ['stale-heartbeat']);
    expect(cardText(await ask('status connector'))).toContain('Connector degraded');
    makeHealthy(bot.demo.fleet);
    const res = await bot.post(
      cardActionActivity('connector.refresh', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const replaced = (res.body as { value: unknown }).value;
    expect(checkCard(replaced).problems).toEqual([]);
    expect(cardText(replaced)).toContain('Connector healthy');
  });

  it('works when @mentioned in a channel', async () => {
    const res = await bot.post(
      messageActivity('connector status', { scope: 'channel', serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('Connector healthy');
  });

  it('refuses an end user, and an end user pressing Refresh', async () => {
    expect(cardText(await ask('connector status', END_USER))).toContain('That command is for IT admins');
    const res = await bot.post(
      cardActionActivity('connector.refresh', {}, { from: END_USER, serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, value: 'Only IT admins can use this button.' });
  });

  it('answers with the error card naming Microsoft Graph when Graph fails', async () => {
    bot.demo.graph.faults.failNext(1000, { status: 403 });
    const text = cardText(await ask('connector status'));
    expect(text).toContain('Microsoft Graph (Entra ID and Intune)');
    expect(text).toContain('What to try');
    expect(text).not.toContain('Connector healthy');
  });

  it('answers the fleet counts from the snapshot while Jamf Pro fails, and says how old they are', async () => {
    bot.demo.jamf.faults.failNext(1000, { status: 403 });
    const card = await ask('connector status');
    const text = cardText(card);
    expect(text).toContain('Connector healthy');
    expect(factsOf(card)['Applicable Macs']).toBeDefined();
    expect(text).toMatch(/Fleet picture as of/);
    bot.demo.jamf.faults.clear();
  });
});
