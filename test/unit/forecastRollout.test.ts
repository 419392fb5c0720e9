import { forecastRollout, type RolloutForecast } from '../../src/compliance/forecastRollout';
import { forecastSection, rolloutCardModel } from '../../src/cards/rolloutCardModel';
import { renderCard } from '../../src/cards/renderCard';
import type { RolloutSnapshot } from '../../src/compliance/rolloutSnapshotTypes';
import { checkCard } from '../helpers/validateCard';

const TODAY = '2026-12-07';
const DAY_MS = 86_400_000;
const dayBefore = (n: number): string =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);

/** Daily points oldest first, ending today: `percents[i]` is `percents.length - 1 - i` days ago. */
const history = (percents: readonly number[]) =>
  percents.map((percentCompliant, i) => ({ day: dayBefore(percents.length - 1 - i), percentCompliant }));

const forecast = (percents: readonly number[], deadline: string | null = null, targetPercent = 95) =>
  forecastRollout({ history: history(percents), today: TODAY, targetPercent, deadline });

/** 14 days rising exactly 1 point a day, ending at 80 % today. */
const RISING = Array.from({ length: 14 }, (_, i) => 67 + i);

describe('forecastRollout', () => {
  it('rising: the day the line from today reaches the target, a tight range for a clean line', () => {
    const f = forecast(RISING);
    expect(f.kind).toBe('date');
    if (f.kind !== 'date') return;
    expect(f.pace.perDay).toBeCloseTo(1, 10);
    expect(f.pace.standardError).toBeCloseTo(0, 10);
    expect(f.pace.points).toBe(14);
    // 95 − 80 = 15 points at 1 a day.
    expect(f.date).toBe('2026-12-22');
    expect(f.earliest).toBe('2026-12-22');
    expect(f.latest).toBe('2026-12-22');
    expect(f.deadline).toBeNull();
  });

  it('rising with noise: the range is the pace ± 2 standard errors of the slope', () => {
    const noisy = RISING.map((y, i) => y + (i % 2 === 0 ? 1.5 : -1.5));
    const f = forecast(noisy);
    if (f.kind !== 'date') throw new Error(`expected a date, got ${f.kind}`);
    // Worked by hand: x = −13..0, the slope and its standard error of this zig-zag.
    const xs = noisy.map((_, i) => i - 13);
    const xm = xs.reduce((a, b) => a + b) / 14;
    const ym = noisy.reduce((a, b) => a + b) / 14;
    const sxx = xs.reduce((a, x) => a + (x - xm) ** 2, 0);
    const b = xs.reduce((a, x, i) => a + (x - xm) * (noisy[i]! - ym), 0) / sxx;
    const ssr = xs.reduce((a, x, i) => a + (noisy[i]! - (ym + b * (x - xm))) ** 2, 0);
    const se = Math.sqrt(ssr / 12 / sxx);
    expect(f.pace.perDay).toBeCloseTo(b, 10);
    expect(f.pace.standardError).toBeCloseTo(se, 10);
    const today = noisy[13]!;
    const at = (rate: number) =>
      new Date(Date.parse(`${TODAY}T00:00:00Z`) + Math.ceil((95 - today) / rate) * DAY_MS)
        .toISOString()
        .slice(0, 10);
    expect(f.date).toBe(at(b));
    expect(f.earliest).toBe(at(b + 2 * se));
    expect(f.latest).toBe(at(b - 2 * se));
    expect(f.earliest < f.date && f.date < f.latest!).toBe(true);
  });

  it('flat: not at this pace', () => {
    const f = forecast(Array.from({ length: 14 }, () => 72));
    expect(f).toMatchObject({ kind: 'not_at_this_pace', pace: { perDay: 0, points: 14 }, deadline: null });
  });

  it('falling: not at this pace, and the deadline is missed', () => {
    const f = forecast(
      RISING.map((y) => 150 - y),
      '2026-12-31',
    );
    expect(f.kind).toBe('not_at_this_pace');
    if (f.kind !== 'not_at_this_pace') return;
    expect(f.pace.perDay).toBeCloseTo(-1, 10);
    expect(f.deadline).toEqual({ deadline: '2026-12-31', status: 'missed' });
  });

  it('too short: fewer than 7 snapshots in the last 14 days (older ones do not count)', () => {
    expect(forecast([70, 71, 72])).toEqual({ kind: 'too_short', targetPercent: 95, points: 3, needed: 7 });
    // 20 days of history, but only today and the 5 days before inside the window.
    const gappy = [
      ...Array.from({ length: 14 }, (_, i) => ({ day: dayBefore(33 - i), percentCompliant: 50 + i })),
      ...history([70, 71, 72, 73, 74, 75]),
    ];
    const f = forecastRollout({ history: gappy, today: TODAY, targetPercent: 95, deadline: null });
    expect(f).toEqual({ kind: 'too_short', targetPercent: 95, points: 6, needed: 7 });
    expect(forecast([])).toEqual({ kind: 'too_short', targetPercent: 95, points: 0, needed: 7 });
  });

  it('gaps count as days: a missing day does not speed the pace up', () => {
    // Every other day for 14 days, 2 points per 2 days = 1 a day.
    const everyOther = [13, 11, 9, 7, 5, 3, 1, 0].map((d) => ({
      day: dayBefore(d),
      percentCompliant: 80 - d,
    }));
    const f = forecastRollout({ history: everyOther, today: TODAY, targetPercent: 95, deadline: null });
    expect(f).toMatchObject({ kind: 'date', date: '2026-12-22' });
  });

  it('target already reached: says so, even on a short history', () => {
    expect(forecast([96])).toEqual({ kind: 'reached', targetPercent: 95, percent: 96 });
    expect(forecast([...RISING.slice(0, 13), 95])).toMatchObject({ kind: 'reached' });
    expect(forecast(RISING, null, 80)).toMatchObject({ kind: 'reached', targetPercent: 80 });
  });

  it('deadline: on track with days to spare, or N days late', () => {
    expect(forecast(RISING, '2026-12-31')).toMatchObject({
      kind: 'date',
      date: '2026-12-22',
      deadline: { deadline: '2026-12-31', status: 'on_track', spareDays: 9 },
    });
    expect(forecast(RISING, '2026-12-22')).toMatchObject({
      deadline: { status: 'on_track', spareDays: 0 },
    });
    expect(forecast(RISING, '2026-12-15')).toMatchObject({
      deadline: { deadline: '2026-12-15', status: 'late', daysLate: 7 },
    });
  });

  it('a slow pace gives a distant date; below 0.05 points a day it is flat', () => {
    const slow = Array.from({ length: 14 }, (_, i) => 10 + i * 0.06);
    // (95 − 10.78) / 0.06 = 1,403.7 → 1,404 days.
    expect(forecast(slow)).toMatchObject({ kind: 'date', date: '2030-10-11' });
    const flatter = Array.from({ length: 14 }, (_, i) => 10 + i * 0.04);
    expect(forecast(flatter)).toMatchObject({ kind: 'not_at_this_pace' });
  });
});

describe('the forecast on the rollout card', () => {
  const snap = (day: string, percentCompliant: number): RolloutSnapshot => ({
    day,
    takenAt: `${day}T06:00:00.000Z`,
    total: 100,
    applicable: 100,
    byVerdict: { compliant: Math.round(percentCompliant) },
    percentCompliant,
    topReasons: [],
  });
  const card = (percents: number[], deadline: string | null) => {
    const snaps = history(percents).map((s) => snap(s.day, s.percentCompliant));
    const f = forecastRollout({ history: snaps, today: TODAY, targetPercent: 95, deadline });
    const rendered = renderCard(
      'rolloutCard',
      rolloutCardModel({
        today: snaps[snaps.length - 1]!,
        history: snaps,
        now: new Date(`${TODAY}T09:00:00Z`),
        forecast: f,
      }),
    );
    const { problems } = checkCard(rendered);
    expect(problems).toEqual([]);
    return JSON.stringify(rendered);
  };

  it('states the date, the range, the deadline and the method', () => {
    const text = card(RISING, '2026-12-15');
    expect(text).toContain('Forecast: 95% compliant');
    expect(text).toContain('Around **22 Dec 2026** at +1 point a day — between 22 Dec 2026 and 22 Dec 2026.');
    expect(text).toContain('**7 days late** for the deadline, 15 Dec 2026.');
    expect(text).toContain('"color":"Attention"');
    expect(text).toContain(
      'Method: a straight line fitted (least squares) to the 14 daily snapshots of the last 14 days',
    );
    expect(text).toContain('± 2 standard errors');
  });

  it('on track, not at this pace, too short, reached', () => {
    expect(card(RISING, '2026-12-31')).toContain(
      '**On track** for the deadline, 31 Dec 2026 (9 days to spare).',
    );
    const flat = card(
      Array.from({ length: 10 }, () => 60),
      '2026-12-31',
    );
    expect(flat).toContain('**Not at this pace**: the trend is flat or falling (+0 points a day).');
    expect(flat).toContain('The deadline, 31 Dec 2026, will be missed unless the pace picks up.');
    const short = card([60, 61], null);
    expect(short).toContain('A forecast needs 7 daily snapshots from the last 14 days; I have 2 so far.');
    expect(short).not.toContain('Method:');
    expect(card([90, 96], '2026-12-31')).toContain('Reached: 96% of applicable Macs are compliant.');
  });

  it('no forecast given: no section', () => {
    expect(forecastSection(undefined)).toMatchObject({ forecastTitle: '', forecast: '' });
    const today = snap(TODAY, 50);
    const text = JSON.stringify(
      renderCard('rolloutCard', rolloutCardModel({ today, history: [today], now: new Date() })),
    );
    expect(text).not.toContain('Forecast');
  });

  it('a noisy trend with an uncertain pace has no later bound', () => {
    const f: RolloutForecast = {
      kind: 'date',
      targetPercent: 95,
      pace: { perDay: 0.5, standardError: 0.3, points: 9 },
      date: '2027-01-20',
      earliest: '2027-01-02',
      latest: null,
      deadline: null,
    };
    expect(forecastSection(f).forecast).toBe(
      'Around **20 Jan 2027** at +0.5 points a day — from 2 Jan 2027, with no later bound (the pace is uncertain).',
    );
  });
});
