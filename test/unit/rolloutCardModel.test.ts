import { renderCard } from '../../src/cards/renderCard';
import { dayLabel, percentBar, rolloutCardModel } from '../../src/cards/rolloutCardModel';
import type { RolloutSnapshot } from '../../src/store/botStore';
import { chartProblems, swapChartsForFallbacks } from '../helpers/teamsCharts';
import { checkCard } from '../helpers/validateCard';

const snap = (day: string, percentCompliant: number): RolloutSnapshot => ({
  day,
  takenAt: `${day}T06:00:00.000Z`,
  total: 10,
  applicable: 10,
  byVerdict: { compliant: Math.round(percentCompliant / 10) },
  percentCompliant,
  topReasons: [],
});

describe('rollout card model', () => {
  it('draws a text bar per day and labels days short', () => {
    expect(percentBar(71)).toBe('▇▇▇▇▇▇▇░░░');
    expect(percentBar(0)).toBe('░'.repeat(10));
    expect(percentBar(100)).toBe('▇'.repeat(10));
    expect(dayLabel('2026-11-24')).toBe('Tue 24');
  });

  it('shows no chart on the first day, and says why', () => {
    const today = snap('2026-11-24', 50);
    const card = renderCard('rolloutCard', rolloutCardModel({ today, history: [today], now: new Date() }));
    expect(JSON.stringify(card)).not.toContain('Chart.Line');
    expect(JSON.stringify(card)).toContain('The trend starts today');
    expect(checkCard(card).problems).toEqual([]);
  });

  it('puts the trend in a Chart.Line whose fallback is the same days as text bars', () => {
    const history = [snap('2026-11-22', 40), snap('2026-11-23', 55.5), snap('2026-11-24', 60)];
    const card = renderCard(
      'rolloutCard',
      rolloutCardModel({ today: history[2]!, history, now: new Date() }),
    );
    const swapped = swapChartsForFallbacks(card);
    expect(swapped.charts).toBe(1);
    expect(swapped.problems).toEqual([]);
    const fallback = JSON.stringify(swapped.card);
    expect(fallback).toContain('Sun 22 ▇▇▇▇░░░░░░ 40%');
    expect(fallback).toContain('Mon 23 ▇▇▇▇▇▇░░░░ 56%');
    expect(fallback).toContain('"fontType":"Monospace"');
    expect(JSON.stringify(card)).toContain('+20 percentage points since Sun 22');
  });
});

describe('Teams chart checks used by card validation', () => {
  it('flags a chart without a fallback and malformed points', () => {
    expect(chartProblems({ type: 'Chart.Line', data: [{ values: [{ x: 'a', y: '1' }] }] })).toEqual([
      'chart: Chart.Line needs a fallback element for clients without charts',
      'chart: Chart.Line.data[0].values[0] must be {x: string | number, y: number}',
    ]);
    expect(chartProblems({ type: 'Chart.Sparkle', data: [] })).toEqual([
      'chart: unknown chart type "Chart.Sparkle"',
    ]);
  });

  it('checkCard validates a chart through its fallback, and refuses a chart without one', () => {
    const chart = {
      type: 'Chart.Line',
      data: [{ legend: 'x', values: [{ x: 'a', y: 1 }] }],
      fallback: { type: 'TextBlock', text: 'a 1%' },
    };
    const card = { type: 'AdaptiveCard', version: '1.5', body: [chart] };
    expect(checkCard(card).problems).toEqual([]);
    const { problems } = checkCard({ ...card, body: [{ ...chart, fallback: undefined }] });
    expect(problems).toContain('chart: Chart.Line needs a fallback element for clients without charts');
  });
});
