import { describeDuration } from '../../src/compliance/describeDuration';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('describeDuration', () => {
  it.each([
    [-5 * HOUR, 'less than a minute'],
    [0, 'less than a minute'],
    [MIN - 1, 'less than a minute'],
    [MIN, '1 minute'],
    [59 * MIN + 59_999, '59 minutes'],
    [HOUR, '1 hour'],
    [2 * DAY - 1, '47 hours'],
    [2 * DAY, '2 days'],
    [14 * DAY + 23 * HOUR, '14 days'],
  ])('%p ms reads "%s" (rounded down, so a boundary is never overstated)', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});
