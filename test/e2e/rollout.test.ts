import { utcDay } from '../../src/rollout/takeRolloutSnapshot';
import { dayLabel, forecastSection } from '../../src/cards/rolloutCardModel';
import { forecastRollout } from '../../src/compliance/forecastRollout';
import type { RolloutSnapshot } from '../../src/store/botStore';
import { ADMIN, END_USER, cardActionActivity, messageActivity } from '../helpers/activities';
import { cardOf, cardText, startBot, type BotHarness } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const DAY_MS = 86_400_000;

/** A stored snapshot `daysAgo` days back, with a rising percentage. */
function seeded(daysAgo: number): RolloutSnapshot {
  const day = utcDay(new Date(Date.now() - daysAgo * DAY_MS));
  const percent = 40 + (10 - daysAgo) * 2;
  return {
    day,
    takenAt: `${day}T06:00:00.000Z`,
    total: 300,
    applicable: 250,
    byVerdict: { compliant: Math.round(2.5 * percent), not_applicable: 50, not_registered: 30 },
    percentCompliant: percent,
    topReasons: [{ code: 'no_entra_device', label: 'Not registered with Entra ID', count: 30 }],
  };
}

type Chart = { type: string; data: { values: { x: string; y: number }[] }[]; fallback: unknown };

function findChart(card: unknown): Chart | undefined {
  const body = (card as { body: unknown[] }).body;
  return body.find((e) => (e as { type: string }).type === 'Chart.Line') as Chart | undefined;
}

describe('rollout through /api/messages against the demo tenant', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBot();
    for (let d = 8; d >= 1; d--) await bot.app.store.saveSnapshot(seeded(d));
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => bot.connector.reset());

  async function ask(text: string, from = ADMIN) {
    const res = await bot.post(messageActivity(text, { from, serviceUrl: bot.connector.serviceUrl }));
    expect(res.status).toBe(200);
    const [sent] = await bot.connector.waitForSent(1, 20_000);
    const card = cardOf(sent)!;
    // An error card here would make every later assertion misleading.
    expect(cardText(card)).toMatch(from === ADMIN ? /^Rollout: |\nRollout: / : /./);
    return card;
  }

  it('shows counts by verdict, % compliant, top reasons and a 9-day trend (Chart.Line with a text fallback)', async () => {
    const card = await ask('rollout');
    const { problems, html } = checkCard(card);
    expect(problems).toEqual([]);

    // Today's snapshot was missing, so it was taken from the live fleet and stored.
    const today = await bot.app.store.getSnapshot(utcDay(new Date()));
    expect(today).not.toBeNull();
    const intended = Object.values(bot.demo.fleet.intendedVerdicts);
    const applicable = intended.filter((v) => v !== 'not_applicable').length;
    const compliant = intended.filter((v) => v === 'compliant').length;
    expect(today!.applicable).toBe(applicable);
    expect(today!.byVerdict.compliant).toBe(compliant);
    expect(today!.percentCompliant).toBe(Math.round((compliant / applicable) * 1000) / 10);

    const text = cardText(card);
    expect(text).toContain(`Rollout: ${today!.percentCompliant}% compliant`);
    expect(text).toContain(`${compliant} of ${applicable} applicable Macs are compliant`);
    for (const label of ['Compliant', 'Not registered', 'Not compliant', 'Stale', 'Not applicable'])
      expect(text).toContain(label);
    expect(text).toContain('What keeps Macs from compliance');
    expect(today!.topReasons.length).toBeGreaterThan(0);
    for (const r of today!.topReasons) expect(text).toContain(r.label);

    const chart = findChart(card)!;
    expect(chart.data[0]!.values).toHaveLength(9);
    expect(chart.data[0]!.values.map((v) => v.x)).toEqual(
      [8, 7, 6, 5, 4, 3, 2, 1, 0].map((d) => dayLabel(utcDay(new Date(Date.now() - d * DAY_MS)))),
    );
    expect(chart.data[0]!.values[0]!.y).toBe(44);
    expect(chart.data[0]!.values[8]!.y).toBe(today!.percentCompliant);
    // What the Playground shows: one monospace bar per day.
    expect(html).toContain('monospace');
    expect(text).toMatch(new RegExp(`${dayLabel(seeded(8).day)} ▇{4}░{6} 44%`));

    // The forecast of the 95 % default from the 9 stored days, its method stated.
    const stored = await bot.app.store.listSnapshots({ toDay: today!.day, limit: 14 });
    expect(stored).toHaveLength(9);
    const forecast = forecastRollout({
      history: stored,
      today: today!.day,
      targetPercent: 95,
      deadline: null,
    });
    const section = forecastSection(forecast);
    expect(text).toContain('Forecast: 95% compliant');
    expect(text).toContain(section.forecast);
    if (forecast.kind === 'date' || forecast.kind === 'not_at_this_pace')
      expect(text).toContain(
        'Method: a straight line fitted (least squares) to the 9 daily snapshots of the last 14 days',
      );
  });

  it('uses the stored snapshot for the rest of the day, and Refresh retakes it from live data', async () => {
    const before = await bot.app.store.getSnapshot(utcDay(new Date()));
    bot.demo.jamf.requests.clear();
    await ask('rollout');
    expect(bot.demo.jamf.requests.entries).toHaveLength(0);

    const res = await bot.post(
      cardActionActivity('rollout.refresh', {}, { serviceUrl: bot.connector.serviceUrl }),
    );
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = (res.body as { value: unknown }).value;
    expect(checkCard(card).problems).toEqual([]);
    expect(findChart(card)!.data[0]!.values).toHaveLength(9);
    expect(bot.demo.jamf.requests.entries.length).toBeGreaterThan(0);
    const after = await bot.app.store.getSnapshot(utcDay(new Date()));
    expect(after!.takenAt >= before!.takenAt).toBe(true);
  });

  it('refuses an end user', async () => {
    const text = cardText(await ask('rollout', END_USER));
    expect(text).toContain('That command is for IT admins');
  });
});
